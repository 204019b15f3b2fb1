package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lockstep.audit.AuditEntry;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.system.Role;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Four-eyes as an insider would try to get around it, through the use cases every way in shares:
 * by writing a version of the plan, by approving without naming (or with an old) plan hash, by
 * approving a phase whose preview shows a problem. Every refusal changes nothing and is in the
 * audit trail with who, what and why.
 */
class FourEyesTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor OP2 = Actor.of("op2", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Actor AP2 = Actor.of("ap2", Role.APPROVER);
  static final Actor LEAD = Actor.of("lead", Role.OPERATOR, Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(20);

  private final Plans plans;
  private final Runs runs;
  private final AuditLog audit;

  @Autowired
  FourEyesTest(Plans plans, Runs runs, AuditLog audit) {
    this.plans = plans;
    this.runs = runs;
    this.audit = audit;
  }

  private Plan plan(Actor author, String tag, String word) {
    return plans.create(author, "engine-test", "four-eyes " + tag,
        Map.of("password", "pw-four-eyes-" + tag, "tag", tag, "word", word), null);
  }

  private String waitingRun(Actor requester, Plan plan) {
    String id = runs.request(requester, plan.id()).id();
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
    return id;
  }

  private List<AuditEntry> refusals(String actor) {
    List<AuditEntry> found = new ArrayList<>();
    audit.forEach(new AuditFilter(null, actor, Refusals.REFUSED, null, null), Long.MAX_VALUE, found::add);
    return found;
  }

  private void assertNothingApproved(String runId) {
    assertThat(runs.approvals(runId)).isEmpty();
    assertThat(runs.get(runId).state()).isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(runs.steps(runId)).allMatch(s -> s.state() == RunStep.State.PENDING);
  }

  @Test
  void theEditorOfAnyVersionMayNotApproveNorSkipNorBeOfferedTheApproval() {
    Plan v1 = plan(OP1, "editor", "hello");
    String id = waitingRun(OP1, v1);
    Plan v2 = plans.edit(LEAD, v1.id(), 1, null, Map.of("password", "pw-four-eyes-editor", "tag", "editor",
        "word", "leads"), null);
    int before = refusals("lead").size();

    assertThatThrownBy(() -> runs.approve(LEAD, id, "one", "my own edit", v2.hash()))
        .isInstanceOf(RunException.NotAllowed.class).hasMessageContaining("wrote a version of plan " + v1.id())
        .hasMessageContaining("four-eyes");
    assertThatThrownBy(() -> runs.reject(LEAD, id, "one", "my own edit", v2.hash()))
        .isInstanceOf(RunException.NotAllowed.class);
    assertThat(runs.approvableBy(LEAD)).noneMatch(p -> p.run().id().equals(id));
    assertNothingApproved(id);

    // an edit back to the first values does not wash the authorship away
    Plan v3 = plans.edit(OP1, v1.id(), 2, null, Map.of("password", "pw-four-eyes-editor", "tag", "editor",
        "word", "hello"), null);
    assertThatThrownBy(() -> runs.approve(LEAD, id, "one", "it is op1's again", v3.hash()))
        .isInstanceOf(RunException.NotAllowed.class);

    List<AuditEntry> refused = refusals("lead");
    assertThat(refused).hasSize(before + 3);
    assertThat(refused.get(refused.size() - 1).summary()).contains("lead was refused: approve phase one")
        .contains("wrote a version of plan");
    assertThat(refused.get(refused.size() - 1).runId()).isEqualTo(id);

    runs.approve(AP1, id, "one", "a second person", v3.hash());
    runs.abort(OP1, id, "test over");
  }

  @Test
  void theAuthorOfAPlanThatSomeoneElseRequestedMayNotApproveIt() {
    Plan mine = plan(LEAD, "author", "hello");
    String id = waitingRun(OP1, mine);
    assertThatThrownBy(() -> runs.approve(LEAD, id, "one", "op1 asked for it", mine.hash()))
        .isInstanceOf(RunException.NotAllowed.class).hasMessageContaining("four-eyes");
    assertNothingApproved(id);
    runs.abort(OP1, id, "test over");
  }

  @Test
  void anApprovalNamesTheVersionReviewedAndAReplayedOneIsRefused() {
    Plan v1 = plan(OP1, "hash", "hello");
    String id = waitingRun(OP1, v1);
    assertThatThrownBy(() -> runs.approve(AP1, id, "one", "blind", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("planHash is required");
    assertThatThrownBy(() -> runs.approve(AP1, id, "one", "blind", "  "))
        .isInstanceOf(IllegalArgumentException.class);
    Plan v2 = plans.edit(OP2, v1.id(), 1, null, Map.of("password", "pw-four-eyes-hash", "tag", "hash",
        "word", "changed"), null);
    // the approval ap1 would have given for v1, sent again after the edit
    assertThatThrownBy(() -> runs.approve(AP1, id, "one", "replayed", v1.hash()))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("version 2");
    assertNothingApproved(id);
    List<AuditEntry> refused = refusals("ap1");
    assertThat(refused.subList(refused.size() - 3, refused.size())).allSatisfy(e -> {
      assertThat(e.runId()).isEqualTo(id);
      assertThat(e.summary()).startsWith("ap1 was refused: approve phase one.");
    });

    runs.approve(AP1, id, "one", "v2 seen", v2.hash());
    assertThat(runs.approvals(id)).singleElement().satisfies(a -> assertThat(a.planHash()).isEqualTo(v2.hash()));
    runs.abort(OP1, id, "test over");
  }

  @Test
  void aPhaseWhosePreviewShowsAProblemCannotBeApproved() {
    Plan plan = plan(OP1, "preview", "unpreviewable");
    String id = waitingRun(OP1, plan);
    assertThatThrownBy(() -> runs.approve(AP1, id, "one", "looks fine to me", plan.hash()))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("preview shows a problem")
        .hasMessageContaining("one.echo");
    assertNothingApproved(id);
    // a rejection of such a phase is what the approver should do, and it is taken
    runs.reject(AP1, id, "one", "the preview shows a problem", plan.hash());
    runs.abort(OP1, id, "test over");
  }

  @Test
  void refusalsOfEveryKindAreEvidenceAndChangeNothing() {
    Plan plan = plan(OP1, "evidence", "hello");
    String id = waitingRun(OP1, plan);
    int op1 = refusals("op1").size();
    int op2 = refusals("op2").size();
    int ap2 = refusals("ap2").size();

    assertThatThrownBy(() -> runs.approve(OP1, id, "one", "own", plan.hash())).isInstanceOf(RunException.class);
    assertThatThrownBy(() -> runs.skip(OP2, id, "one.echo", "why not")).isInstanceOf(RunException.NotAllowed.class);
    assertThatThrownBy(() -> runs.confirm(OP2, id, "two.check", 1)).isInstanceOf(RunException.Conflict.class);
    assertThatThrownBy(() -> runs.retry(OP2, id, "one.echo")).isInstanceOf(RunException.class);
    assertThatThrownBy(() -> runs.request(OP1, plan.id())).isInstanceOf(RunException.Conflict.class);
    assertThatThrownBy(() -> plans.edit(OP2, plan.id(), 7, null, Map.of("password", "x1234567"), null))
        .isInstanceOf(RunException.Conflict.class);
    assertThatThrownBy(() -> plans.create(AP2, "engine-test", "no role", Map.of("password", "pw12345678"), null))
        .isInstanceOf(RunException.NotAllowed.class);

    assertThat(refusals("op1")).hasSize(op1 + 2);
    assertThat(refusals("op2")).hasSize(op2 + 4);
    assertThat(refusals("ap2")).hasSize(ap2 + 1);
    assertThat(refusals("op2").get(op2).summary()).contains("skip step one.echo").contains("APPROVER");
    assertThat(refusals("ap2").get(ap2).summary()).contains("plan a run of engine-test").contains("OPERATOR");
    assertNothingApproved(id);
    assertThat(plans.get(plan.id()).version()).isEqualTo(1);
    runs.abort(OP1, id, "test over");
  }

  @Test
  void aHostileValueInARefusalIsCutToOneBoundedLine() {
    String hostile = "x\u0000\n\u202Eevil" + "A".repeat(100_000);
    assertThatThrownBy(() -> plans.create(OP1, hostile, "t", Map.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
    AuditEntry last = refusals("op1").get(refusals("op1").size() - 1);
    assertThat(last.summary().length()).isLessThan(2 * Refusals.MAX_REASON + 100);
    assertThat(last.summary()).doesNotContain("\u0000", "\n", "\u202E");
  }
}
