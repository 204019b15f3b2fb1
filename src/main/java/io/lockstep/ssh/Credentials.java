package io.lockstep.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.jspecify.annotations.Nullable;

/**
 * The configured ways to log in: a private key, a password, or both (key first). The key file is
 * read at every login, so a replaced key needs no restart. Knows the secrets, so it also scrubs
 * them from any text that might echo them.
 */
final class Credentials {

  private final @Nullable Path privateKey;
  private final @Nullable String passphrase;
  private final @Nullable String password;

  Credentials(SshProperties properties) {
    this.privateKey = properties.privateKey();
    this.passphrase = emptyToNull(properties.privateKeyPassphrase());
    this.password = emptyToNull(properties.password());
  }

  /**
   * The authentication methods to try, in order: only those with a credential. Without any
   * credential the console still starts and probes still show host keys; logins then fail with
   * {@link #methodNames()} saying what to configure.
   */
  List<UserAuthFactory> methods() {
    List<UserAuthFactory> methods = new ArrayList<>();
    if (privateKey != null) {
      methods.add(UserAuthPublicKeyFactory.INSTANCE);
    }
    if (password != null || privateKey == null) {
      methods.add(UserAuthPasswordFactory.INSTANCE);
    }
    return methods;
  }

  /** The methods as a login failure names them: {@code publickey,password}. */
  String methodNames() {
    if (privateKey == null && password == null) {
      return "no credentials configured: set lockstep.ssh.private-key or lockstep.ssh.password";
    }
    return String.join(",", methods().stream().map(UserAuthFactory::getName).toList());
  }

  /** Hands the credentials to a session about to authenticate. */
  void offerTo(ClientSession session) {
    if (privateKey != null) {
      for (KeyPair key : readPrivateKey(session)) {
        session.addPublicKeyIdentity(key);
      }
    }
    if (password != null) {
      session.addPasswordIdentity(password);
    }
  }

  /** {@code text} with every secret replaced, for messages built from someone else's words. */
  String scrub(String text) {
    String scrubbed = text;
    for (String secret : new String[] {password, passphrase}) {
      if (secret != null) {
        scrubbed = scrubbed.replace(secret, RemoteCommand.MASK);
      }
    }
    return scrubbed;
  }

  private Iterable<KeyPair> readPrivateKey(ClientSession session) {
    try (InputStream in = Files.newInputStream(privateKey)) {
      FilePasswordProvider unlock =
          passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase);
      return SecurityUtils.loadKeyPairIdentities(
          session, NamedResource.ofName(privateKey.toString()), in, unlock);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new SshException("cannot read the private key " + privateKey + ": "
          + scrub(String.valueOf(e.getMessage())));
    }
  }

  private static @Nullable String emptyToNull(@Nullable String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
