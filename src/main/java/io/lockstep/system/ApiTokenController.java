package io.lockstep.system;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's own API tokens over the REST API: {@code GET /api/tokens} lists them (never a token
 * value), {@code POST /api/tokens} creates one and answers 201 with its value, the only time it is
 * shown, {@code DELETE /api/tokens/{id}} revokes one (404 for a token of somebody else). Open to
 * every role; creating needs a password login (HTTP Basic or the page session), not a token, so a
 * leaked token cannot mint itself successors (see {@link SecurityConfiguration}).
 */
@RestController
class ApiTokenController {

  private final PersonalTokens tokens;

  ApiTokenController(PersonalTokens tokens) {
    this.tokens = tokens;
  }

  @GetMapping("/api/tokens")
  List<ApiToken> list(Principal user) {
    return tokens.of(user.getName());
  }

  @ApiResponse(responseCode = "201", description = "The token, with its value (shown only here)",
      headers = @Header(name = "Location", description = "the list of the caller's tokens"))
  @PostMapping("/api/tokens")
  ResponseEntity<Created> create(@RequestBody CreateRequest body, Principal user) {
    PersonalTokens.IssuedToken issued = tokens.issue(user.getName(), body.label(), body.expiresInDays());
    ApiToken t = issued.token();
    return ResponseEntity.created(URI.create("/api/tokens"))
        .header("Cache-Control", "no-store")
        .body(new Created(t.id(), t.label(), t.createdAt(), t.expiresAt(), issued.value()));
  }

  @ApiResponse(responseCode = "204", description = "Revoked")
  @DeleteMapping("/api/tokens/{id}")
  ResponseEntity<Void> revoke(@PathVariable long id, Principal user) {
    tokens.revoke(user.getName(), id);
    return ResponseEntity.noContent().build();
  }

  @ExceptionHandler(PersonalTokens.NoSuchToken.class)
  ProblemDetail notFound(PersonalTokens.NoSuchToken e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    problem.setTitle("No such API token");
    return problem;
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setTitle("Invalid API token request");
    return problem;
  }

  /**
   * The body of {@code POST /api/tokens}.
   *
   * @param label what the token is for
   * @param expiresInDays days until it stops working; leave out for never
   */
  record CreateRequest(String label, Integer expiresInDays) {}

  /**
   * A token just created.
   *
   * @param token the value to send as {@code Authorization: Bearer <token>}; shown only here
   */
  record Created(long id, String label, Instant createdAt, Instant expiresAt, String token) {
    @Override
    public String toString() {
      return "Created[id=" + id + ", label=" + label + ", token=" + SecretMasker.MASK + "]";
    }
  }
}
