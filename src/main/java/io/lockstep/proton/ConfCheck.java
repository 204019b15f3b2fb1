package io.lockstep.proton;

import io.lockstep.run.StepPreview;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import io.lockstep.sshsteps.PasswordLogins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code proton.conf} with {@code check: true}: what the step would do short of writing the file
 * and applying it, so that P1's first phase finds before any downtime what would stop phases 7 and
 * 13 in it. The edit is worked out on the configuration as it is (with every refusal the real
 * step meets), and, given the {@code password} that {@code proton-cli apply -p} will use, the
 * console logs in as root with it to every node under {@code .nodes} of the edited configuration —
 * the nodes proton-cli apply reaches over SSH as root with that password — and runs {@code true}
 * there ({@link PasswordLogins}: host keys pinned, the password sent to nothing but the nodes' sshd).
 * A refused password fails the step naming the nodes; the password itself is never shown.
 */
final class ConfCheck {

  /** proton-cli logs in to the nodes as root. */
  static final String USER = "root";
  static final Duration PER_NODE = Duration.ofSeconds(30);

  private final PasswordLogins logins;

  ConfCheck(PasswordLogins logins) {
    this.logins = logins;
  }

  /** The preview's closing lines: the nodes whose login is checked, or that nothing follows. */
  static List<StepPreview.Line> preview(ApplyConf.Request request, ConfEdit.Result edit) {
    List<StepPreview.Line> lines = new ArrayList<>();
    if (request.password().isPresent()) {
      lines.add(StepPreview.Line.of("preview.proton.checkLogins", "log in as {0} with the plan''s password (never"
          + " shown), host keys pinned, to every node {1} reaches — {2} ({3} of the edited configuration) — and run {4}"
          + " on each: a refused password fails the step naming the node", USER, "proton-cli apply",
          String.join(", ", listed(edit.edited())), ".nodes", "true"));
    }
    lines.add(StepPreview.Line.of("preview.proton.checkOnly", "check only: nothing is written, nothing applied"));
    return lines;
  }

  /**
   * Checks the password on the edited configuration's nodes, if there is one.
   *
   * @return the step's summary
   * @throws StepFailedException the password was refused, or a node could not be checked
   */
  String run(StepContext context, ApplyConf.Request request, ConfEdit.Result edit) throws InterruptedException {
    String edited = "the configuration takes the edit (" + (edit.changed() ? edit.changes().size() + " change"
        + (edit.changes().size() == 1 ? "" : "s") : "nothing left to change") + ")";
    Optional<String> password = request.password();
    if (password.isEmpty()) {
      return "checked on " + request.node() + ": " + edited + "; nothing was written or applied";
    }
    List<String> nodes = listed(edit.edited());
    context.info("proton-cli apply will log in as " + USER + " to " + String.join(", ", nodes) + " (.nodes of the "
        + "edited configuration): checking the plan's password on each");
    List<PasswordLogins.Login> results = logins.check(context, nodes, USER, password.get(), PER_NODE);
    Masking masking = request.masking();
    results.forEach(login -> context.info(masking.text(login.described())));
    List<PasswordLogins.Login> refused = results.stream().filter(PasswordLogins.Login::refused).toList();
    List<PasswordLogins.Login> failed = results.stream().filter(l -> !l.succeeded() && !l.refused()).toList();
    if (!refused.isEmpty() || !failed.isEmpty()) {
      throw new StepFailedException(masking.text(failure(refused, failed)));
    }
    return "checked on " + request.node() + ": " + edited + ", and the plan's root password opens all "
        + nodes.size() + " nodes proton-cli apply reaches (" + String.join(", ", nodes) + "); nothing was written "
        + "or applied";
  }

  private static String failure(List<PasswordLogins.Login> refused, List<PasswordLogins.Login> failed) {
    List<String> parts = new ArrayList<>();
    if (!refused.isEmpty()) {
      parts.add("the root password of the plan was refused by " + String.join(", ", refused.stream()
          .map(l -> l.node() + " (" + l.address() + ")").toList()) + ": proton-cli apply -p would fail there the "
          + "same way, after the applications are stopped; correct the plan's password (a new plan version) and "
          + "retry");
    }
    if (!failed.isEmpty()) {
      parts.add("the password could not be checked on " + String.join("; ", failed.stream()
          .map(PasswordLogins.Login::described).toList()));
    }
    return String.join("; ", parts) + "; nothing was changed";
  }

  /** The names under {@code .nodes}, in their order, each once. */
  static List<String> listed(ObjectNode conf) {
    JsonNode nodes = conf.get("nodes");
    List<String> names = new ArrayList<>();
    if (nodes != null && nodes.isArray()) {
      for (JsonNode entry : nodes) {
        String name = entry.path("name").asString("");
        if (name.isBlank()) {
          throw new StepFailedException("an entry under .nodes of the configuration has no name: cannot tell "
              + "which nodes proton-cli apply reaches; nothing was changed");
        }
        names.add(name);
      }
    }
    return List.copyOf(new LinkedHashSet<>(names));
  }
}
