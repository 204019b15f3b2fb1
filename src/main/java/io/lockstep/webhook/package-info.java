/**
 * Tells people outside the console that a run needs them: when {@code lockstep.webhook.url} is
 * set, every {@link io.lockstep.run.RunNotifications run notification} (a phase waits for
 * approval, a run failed or needs a decision) is POSTed there as a small JSON document with a link
 * to the run, optionally signed with HMAC-SHA256. Delivery happens on a thread of its own and never
 * delays or fails the engine; a receiver that is down gets a few retries, then a log line.
 */
package io.lockstep.webhook;
