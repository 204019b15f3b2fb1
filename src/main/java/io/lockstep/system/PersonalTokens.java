package io.lockstep.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A user's own API tokens: list, create, revoke. Every user may do this for themselves and for
 * nobody else; a token of another user is treated as not existing. Creating and revoking publish
 * an {@link Auditable} event inside the transaction of the change; a refusal (another user's
 * token, a request the rules refuse) is a {@code REFUSED} event of its own, like every refusal.
 */
@Service
class PersonalTokens {

  private final ApiTokens tokens;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  private final TransactionTemplate work;

  PersonalTokens(ApiTokens tokens, ApplicationEventPublisher events, Clock clock,
      PlatformTransactionManager transactions) {
    this.work = new TransactionTemplate(transactions);
    this.tokens = tokens;
    this.events = events;
    this.clock = clock;
  }

  @Transactional(readOnly = true)
  List<ApiToken> of(String owner) {
    return tokens.ownedBy(owner);
  }

  /**
   * Creates a token from what the user typed.
   *
   * @throws IllegalArgumentException what is wrong with the request (the refusal is audited)
   */
  IssuedToken issue(String owner, String label, Integer expiresInDays) {
    NewApiToken request;
    try {
      request = new NewApiToken(label, expiresInDays);
    } catch (IllegalArgumentException e) {
      events.publishEvent(new Refused(owner, "create an API token", e.getMessage(), "invalid"));
      throw e;
    }
    return work.execute(status -> issue(owner, request)); // this.issue has no transaction of its own
  }

  /**
   * Records a token request that a form refused before it reached {@link #issue}: a
   * {@code REFUSED} event like every refusal. {@code reason} names the fields, never what was typed.
   */
  void refusedRequest(String owner, String reason) {
    events.publishEvent(new Refused(owner, "create an API token", reason, "invalid"));
  }

  /** Creates a token; the returned value is the only time anyone sees it. */
  @Transactional
  IssuedToken issue(String owner, NewApiToken request) {
    Instant now = now();
    Instant expiresAt = request.expiresInDays() == null ? null : now.plus(Duration.ofDays(request.expiresInDays()));
    String value = ApiTokenSecrets.generate();
    ApiToken token = tokens.add(owner, request.label(), ApiTokenSecrets.hash(value), now, expiresAt);
    events.publishEvent(new ApiTokenCreated(token.id(), owner, token.label(), expiresAt));
    return new IssuedToken(token, value);
  }

  /**
   * Revokes one of the owner's tokens. Revoking a revoked token changes nothing and is not audited
   * again.
   *
   * @throws NoSuchToken if the owner has no token with this id (the refusal is audited)
   */
  ApiToken revoke(String owner, long id) {
    ApiToken revoked = work.execute(status -> revokeOwn(owner, id));
    if (revoked == null) {
      // outside the transaction, so the event is appended at once, in one of its own
      events.publishEvent(new Refused(owner, "revoke API token " + id,
          owner + " has no API token " + id + " (it may be another user's)", "not found"));
      throw new NoSuchToken(id);
    }
    return revoked;
  }

  /** The owner's token revoked, or null when the owner has no token with this id. */
  private ApiToken revokeOwn(String owner, long id) {
    ApiToken token = tokens.find(id).filter(t -> t.owner().equals(owner)).orElse(null);
    if (token == null) {
      return null;
    }
    Instant now = now();
    if (tokens.revoke(id, now)) {
      events.publishEvent(new ApiTokenRevoked(id, owner, token.label()));
      return new ApiToken(id, owner, token.label(), token.createdAt(), token.lastUsedAt(), token.expiresAt(), now);
    }
    return tokens.find(id).orElse(null);
  }

  /** Database columns keep microseconds; so do the instants handed out, so they read back equal. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * A token just created, with its value.
   *
   * @param token the token as listed from now on
   * @param value {@code lst_…}, shown to its owner this once; kept out of {@link #toString()}
   */
  record IssuedToken(ApiToken token, String value) {
    @Override
    public String toString() {
      return "IssuedToken[token=" + token + ", value=" + SecretMasker.MASK + "]";
    }
  }

  /** The user has no token with this id (it may exist, but belongs to someone else). */
  @ResponseStatus(HttpStatus.NOT_FOUND)
  static final class NoSuchToken extends RuntimeException {
    NoSuchToken(long id) {
      super("You have no API token " + id);
    }
  }
}
