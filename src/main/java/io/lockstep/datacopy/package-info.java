/**
 * Moving data directories between nodes (PROCEDURES.md P1, phases 5 and 11): the {@code copy.rsync}
 * executor of {@code config/procedures/README.md}.
 *
 * <p>Data never flows through the console: rsync runs on the source node and pushes to the target
 * node over the nodes' own SSH trust; the console starts each copy over SSH, checks the targets
 * before anything is written, follows rsync's progress, records bytes and times as the run's
 * figures, and after the downtime copy proves with a checksum dry run that every target mirrors its
 * source. What that proof finds different, a retry of the step re-sends by checksum.
 */
@NullMarked
package io.lockstep.datacopy;

import org.jspecify.annotations.NullMarked;
