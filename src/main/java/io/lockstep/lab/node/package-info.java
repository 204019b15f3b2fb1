/**
 * The node side of the lab platform: every lab node is a sandbox directory on the console's
 * machine plus an SSH server on the node's own loopback address. The server offers an
 * {@code exec} channel whose command line is interpreted by a small POSIX-like shell
 * ({@link io.lockstep.lab.node.NodeShell}) that knows exactly the commands the procedures run on
 * real nodes ({@code systemctl}, {@code rsync}, {@code df}, {@code proton-cli}, …). Data really
 * moves: {@code rsync} is the real binary, talking to the target node's SSH server over OpenSSH.
 *
 * <p>Entry point: {@link io.lockstep.lab.node.LabNodes}.
 */
package io.lockstep.lab.node;
