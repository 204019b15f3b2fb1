/**
 * Steps that run commands on the platform's nodes over SSH: the {@code ssh.exec} executor of
 * {@code config/procedures/README.md}, and {@link io.lockstep.sshsteps.NodeAddresses}, which finds
 * the address of a node by its Kubernetes name for every executor that reaches nodes.
 *
 * <p>Every command runs on the node under coreutils {@code timeout}, so that the node itself ends
 * it when the step's time is up: closing the SSH channel, all the console can do from its side,
 * does not stop a process on a real sshd. The run's log shows the command as the procedure wrote
 * it; the wrap is mentioned once per step.
 */
@NullMarked
package io.lockstep.sshsteps;

import org.jspecify.annotations.NullMarked;
