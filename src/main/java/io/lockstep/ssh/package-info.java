/**
 * The console's SSH client: how Lockstep reaches the nodes of a platform.
 *
 * <p>The inventory page {@linkplain NodeShell#probe probes} every node (is it reachable, which host
 * key does it present); the run engine's {@code ssh.exec} and rsync steps {@linkplain
 * NodeShell#exec run commands} on nodes and stream their output line by line into the live log.
 *
 * <p>Three rules hold for everything in this package:
 *
 * <ul>
 *   <li><b>Host keys are pinned.</b> A node is trusted only when the key it presents is in the
 *       configured known_hosts file. Unknown and changed keys are refused with a message naming the
 *       node and the key's SHA256 fingerprint; known_hosts is never written.
 *   <li><b>Nothing typed reaches a shell unquoted.</b> Commands are argument lists ({@link
 *       RemoteCommand}) quoted for a POSIX shell; values that name nodes, paths, systemd units and
 *       Helm releases are checked first with {@link NodeNames}, {@link RemotePaths}, {@link
 *       SystemdUnits} and {@link HelmReleases}.
 *   <li><b>Secrets stay secret.</b> Passwords, key passphrases and arguments marked secret never
 *       appear in logs, exception messages or {@code toString()}.
 * </ul>
 *
 * <p>Apache MINA SSHD does the protocol work; none of its types appear in the public API.
 */
@NullMarked
package io.lockstep.ssh;

import org.jspecify.annotations.NullMarked;
