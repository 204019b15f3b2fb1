/**
 * Steps that change Proton's own record of where its components live (P1 of {@code
 * PROCEDURES.md}): {@code proton.conf} edits the cluster configuration of {@code proton-cli get
 * conf} and applies it with {@code proton-cli apply} over SSH (adding and removing nodes, placing
 * components per the plan's rows); {@code proton.secrets} rewrites the Secrets that hold every
 * component's hosts and data path, keeping each whole first; {@code proton.secrets-restore} puts
 * them back.
 *
 * <p>Both the configuration and the Secrets hold credentials: nothing here logs them, and previews
 * show unified diffs with every credential value masked. Edits are structural (a YAML tree: keys
 * the console does not know keep their place and value) and idempotent, so a step interrupted by a
 * crash can run again.
 */
@NullMarked
package io.lockstep.proton;

import org.jspecify.annotations.NullMarked;
