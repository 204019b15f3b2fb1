/**
 * Secret values at rest: sealed with AES-256-GCM (Spring Security crypto's {@code
 * AesBytesEncryptor}) under a key the site provides, so that the database file alone reveals
 * nothing. {@link io.lockstep.secrets.Sealer} seals and opens; the stores of other modules call it
 * before a secret value is written and after it is read, so plain text never reaches those
 * columns. A sealed value names the key it was sealed with ({@code lss1:<key id>:<base64>}), so a
 * site can rotate: the new key seals, old keys still open, and the stores seal again with the new
 * key at start-up.
 *
 * <p>The key comes from {@code lockstep.secrets.key} (base64; environment {@code
 * LOCKSTEP_SECRETS_KEY}) or {@code lockstep.secrets.key-file} (default {@code data/secrets.key}).
 * When neither holds a key and {@code lockstep.secrets.create-key} is on (the default), a random
 * key is created in the key file, readable by its owner only.
 */
package io.lockstep.secrets;
