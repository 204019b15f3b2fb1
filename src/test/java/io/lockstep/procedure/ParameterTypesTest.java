package io.lockstep.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each parameter type accepts and refuses, with the parameter named and the value shown safely. */
class ParameterTypesTest {

  private static Parameter of(Parameter.Type type) {
    return new Parameter("p", type, false, null);
  }

  private static Parameter bounded(Parameter.Type type, Object min, Object max) {
    return new Parameter("p", type, false, null, null, null, false, null, min, max);
  }

  private static void refused(Parameter p, Object value, String messagePart) {
    assertThatThrownBy(() -> p.accept(value)).as("%s refuses %s", p.type(), value)
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("parameter 'p'")
        .hasMessageContaining(messagePart);
  }

  @Test
  void textIsOneLineOfPrintableCharactersUpToItsLimit() {
    Parameter text = of(Parameter.Type.TEXT);
    assertThat(text.accept("  Move kafka off node-1; it's 50% done — 迁移 ")).isEqualTo("Move kafka off node-1; it's 50% done — 迁移");
    assertThat(text.accept("x".repeat(256))).isEqualTo("x".repeat(256));
    refused(text, "x".repeat(257), "longer than 256 characters");
    refused(text, "a\u0000b", "holds U+0000");
    refused(text, "a\nb", "holds U+000A");
    refused(text, "a\u0085b", "holds U+0085");
    refused(text, "abc\u202Efdp.exe", "holds U+202E");
    refused(text, "a\u2066b", "holds U+2066");
    refused(text, "a\u200Db", "holds U+200D");
    refused(text, "a\uFEFFb", "holds U+FEFF");
    refused(text, "a\u2028b", "holds U+2028");
    refused(text, "a\uD800b", "holds U+D800");
    refused(text, "   ", "is blank");
    refused(text, List.of("a"), "takes a single value, not a list");
    assertThat(bounded(Parameter.Type.TEXT, null, 5).accept("12345")).isEqualTo("12345");
    refused(bounded(Parameter.Type.TEXT, null, 5), "123456", "longer than 5 characters");
  }

  @Test
  void aSecretTakesAnyPrintableCharactersButNeverShowsThem() {
    Parameter secret = of(Parameter.Type.SECRET);
    assertThat(secret.secret()).isTrue();
    assertThat(secret.accept(" p@ss $(id) `x`;|&\"' ")).isEqualTo(" p@ss $(id) `x`;|&\"' ");
    assertThatThrownBy(() -> secret.accept("hunter2\u0000")).hasMessage("parameter 'p' holds U+0000, which is not"
        + " a printable character");
    assertThatThrownBy(() -> secret.accept("hunter2" + "x".repeat(300))).hasMessage("parameter 'p' is longer than"
        + " 256 characters").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> secret.accept(" x7q ")).hasMessage("parameter 'p' is a secret of at least 4 characters"
        + " (a shorter one could not be masked in logs)");
    assertThat(secret.accept("x7q!")).isEqualTo("x7q!");
    assertThatThrownBy(() -> new Parameter("p", Parameter.Type.TEXT, false, null, null, null, true, null))
        .hasMessageContaining("give it type secret");
  }

  @Test
  void anIntIsAWholeNumberInItsRange() {
    Parameter n = bounded(Parameter.Type.INT, 0, 100);
    assertThat(n.accept("42")).isEqualTo(42L);
    assertThat(n.accept(7)).isEqualTo(7L);
    refused(n, "101", "must be from 0 to 100, not 101");
    refused(n, -1, "must be from 0 to 100, not -1");
    refused(n, "99999999999999999999", "must be a whole number");
    refused(n, new BigInteger("99999999999999999999"), "must be a whole number that fits in 18 digits");
    refused(n, 1.5, "must be a whole number, not '1.5'");
    refused(n, "42\n", "holds U+000A");
    refused(n, "0x10", "must be a whole number");
    assertThat(of(Parameter.Type.INT).max()).isEqualTo((long) Integer.MAX_VALUE);
    assertThatThrownBy(() -> bounded(Parameter.Type.INT, 5, 1)).hasMessageContaining("'min' is larger than 'max'");
  }

  @Test
  void aDurationIsWrittenWithUnitsAndStaysInItsBounds() {
    Parameter d = bounded(Parameter.Type.DURATION, "1s", "1h");
    assertThat(d.accept("1m30s")).isEqualTo(Duration.ofSeconds(90));
    refused(d, "-5m", "is not a duration");
    refused(d, "500ms", "must be from 1s to 1h, not 500ms");
    refused(d, "2h", "must be from 1s to 1h, not 2h");
    refused(d, "999999999d", "must be from 1s to 1h");
    refused(d, "1".repeat(100) + "s", "is not a duration");
    refused(d, "PT5M", "is not a duration");
  }

  @Test
  void aBoolIsTrueOrFalse() {
    Parameter b = of(Parameter.Type.BOOL);
    assertThat(b.accept("true")).isEqualTo(true);
    assertThat(b.accept(false)).isEqualTo(false);
    refused(b, "yes", "must be true or false");
    refused(b, "true\u0000", "holds U+0000");
  }

  @Test
  void nodeNamesAndListsFollowRfc1123() {
    Parameter node = of(Parameter.Type.NODE);
    assertThat(node.accept("node-1")).isEqualTo("node-1");
    assertThat(node.accept("top1.cluster.local")).isEqualTo("top1.cluster.local");
    refused(node, "-rf", "is not a node name");
    refused(node, "Node-1", "is not a node name");
    refused(node, "node_1", "is not a node name");
    refused(node, "a".repeat(64), "is not a node name");
    Parameter nodes = of(Parameter.Type.NODES);
    assertThat(nodes.accept("node-1, node-2 node-3")).isEqualTo(List.of("node-1", "node-2", "node-3"));
    refused(nodes, "node-1\nnode-2", "holds U+000A");
    refused(nodes, "node-1,node-1", "twice");
    refused(nodes, ",", "at least one node");
    Parameter names = of(Parameter.Type.NAMES);
    assertThat(names.accept("member-2, member-2")).isEqualTo(List.of("member-2", "member-2"));
    refused(names, "a,".repeat(300), "more than 256 items");
    refused(names, "ns1;reboot", "is not a name");
  }

  @Test
  void aNodeSetIsClushsSafeGrammar() {
    Parameter set = of(Parameter.Type.NODESET);
    for (String real : List.of("@top,@worker", "@island_worker", "top[1-3]", "top[1-3],worker1,@island_worker",
        "ns[1,3-5]", "node-1,node-2", "@vm:running", "n[01-10]x")) {
      assertThat(set.accept(real)).as(real).isEqualTo(real);
    }
    for (String bad : List.of("@vm:*", "*", "top[1-3] -x top1", "-x", "@top,", "top[3-1]", "top[1-3", "top]",
        "@top;reboot", "$(reboot)", "top{1,2}", "@top&@worker", "@top!@worker", "@top^@worker", "[1-3]",
        "top[a-b]", "top1,,top2", "'top1'")) {
      refused(set, bad, "node set");
    }
  }

  @Test
  void kubernetesNamesAndNamespaces() {
    Parameter name = of(Parameter.Type.K8S_NAME);
    assertThat(name.accept("message-center")).isEqualTo("message-center");
    assertThat(name.accept("proton.mariadb-0")).isEqualTo("proton.mariadb-0");
    refused(name, "Message-Center", "is not a Kubernetes name");
    refused(name, "a/b", "is not a Kubernetes name");
    refused(name, " mysql", "is not a Kubernetes name");
    Parameter namespace = of(Parameter.Type.K8S_NAMESPACE);
    assertThat(namespace.accept("proton-rds-mariadb-operator-system")).isEqualTo("proton-rds-mariadb-operator-system");
    refused(namespace, "kube.system", "is not a Kubernetes namespace");
    refused(namespace, "a".repeat(64), "is not a Kubernetes namespace");
    refused(namespace, "anyshare-", "is not a Kubernetes namespace");
  }

  @Test
  void anAccountNameIsAPlainName() {
    Parameter user = of(Parameter.Type.USER);
    assertThat(user.accept("admin")).isEqualTo("admin");
    assertThat(user.accept("ipmi_Ops.2")).isEqualTo("ipmi_Ops.2");
    refused(user, "--foo", "is not an account name");
    refused(user, "root admin", "is not an account name");
    refused(user, "аdmin", "is not an account name");
  }

  @Test
  void aPathIsAbsoluteNormalizedAndPlain() {
    Parameter path = of(Parameter.Type.PATH);
    assertThat(path.accept("/root/.ipmi/password")).isEqualTo("/root/.ipmi/password");
    assertThat(path.accept("/sysvol/数据")).isEqualTo("/sysvol/数据");
    for (String bad : List.of("root/.ipmi", "/", "/sysvol/../etc", "/sysvol/./x", "//etc", "/etc/", "/a b",
        "/a;b", "/a$(id)", "/a*", "/a\\b", "/" + "a".repeat(256))) {
      refused(path, bad, "is not an absolute path");
    }
  }

  @Test
  void anEnumIsOneOfItsValues() {
    Parameter mode = new Parameter("p", Parameter.Type.ENUM, false, null, null, null, false, List.of("docker", "containerd"));
    assertThat(mode.accept("docker")).isEqualTo("docker");
    refused(mode, "Docker", "is one of docker, containerd, not 'Docker'");
    assertThatThrownBy(() -> new Parameter("p", Parameter.Type.ENUM, false, null, null, null, false, List.of("a\nb")))
        .hasMessageContaining("U+000A");
  }

  @Test
  void aRefusedValueIsShownShortAndVisible() {
    assertThat(ParameterValues.shown("ab\u202Ecd")).isEqualTo("'ab\\u202Ecd'");
    assertThat(ParameterValues.shown("x".repeat(5_000_000))).isEqualTo("'" + "x".repeat(60) + "…' (5000000 characters)");
    assertThatThrownBy(() -> of(Parameter.Type.NODE).accept("$(reboot)" + "x".repeat(5_000_000)))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void boundsBelongToTheTypesThatHaveThem() {
    assertThatThrownBy(() -> bounded(Parameter.Type.NODE, null, 3)).hasMessageContaining("takes no such bound");
    assertThatThrownBy(() -> bounded(Parameter.Type.TEXT, 1, null)).hasMessageContaining("takes no such bound");
    assertThatThrownBy(() -> bounded(Parameter.Type.TEXT, null, 100_000)).hasMessageContaining("must be from 1 to 65536");
    assertThat(bounded(Parameter.Type.DURATION, null, null).min()).isEqualTo(Duration.ZERO);
  }

  @Test
  void unknownNamesAreShownSafelyAndCounted() {
    Procedure p = AProcedure.withSteps(AProcedure.kubeletCheck());
    assertThatThrownBy(() -> p.bind(Map.of("nodes", "node-1", "x\u202Ey", "1")))
        .hasMessageContaining("has no parameter 'x\\u202Ey'");
  }
}
