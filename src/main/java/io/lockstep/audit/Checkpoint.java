package io.lockstep.audit;

import java.time.Instant;

/**
 * One line of the anchor file: the chain stood at row {@code seq} with {@code hash} at {@code at}.
 * Exports carry the newest one, so a copy of the chain's head leaves the machine with every export;
 * whoever holds the anchor key can later check that it is still in the anchor file and that the
 * trail still holds that row with that hash.
 *
 * @param number the checkpoint's line number in the anchor file, from 1
 * @param seq the chain row anchored (0 for the empty chain)
 * @param hash that row's hash (64 zeros for the empty chain)
 * @param at when the checkpoint was written
 * @param signature lower-case hex HMAC-SHA256, with the site's anchor key, over {@code
 *     lockstep-audit-anchor/1}, number, seq, hash, at (ISO-8601) and the previous line's signature,
 *     one per line; so no line can be changed, removed or inserted without the key
 */
public record Checkpoint(long number, long seq, String hash, Instant at, String signature) {}
