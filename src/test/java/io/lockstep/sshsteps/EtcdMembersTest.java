package io.lockstep.sshsteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** etcdctl's {@code member list -w json} answer, as {@link EtcdMembers} reads the member hosts from it. */
class EtcdMembersTest {

  @Test
  void theHostsOfEveryMembersUrlsAreTheMembersLoopbackLeftOut() {
    String out = "{\"header\":{\"cluster_id\":14841639068965178418,\"member_id\":1,\"raft_term\":7},\"members\":["
        + "{\"ID\":1,\"name\":\"etcd-node-1\",\"peerURLs\":[\"https://10.0.0.1:2380\"],"
        + "\"clientURLs\":[\"https://10.0.0.1:2379\",\"https://127.0.0.1:2379\"]},"
        + "{\"ID\":2,\"name\":\"etcd-node-2\",\"peerURLs\":[\"https://10.0.0.2:2380\"],\"clientURLs\":[\"https://10.0.0.2:2379\"]},"
        + "{\"ID\":3,\"name\":\"etcd-node-7\",\"peerURLs\":[\"https://10.0.0.7:2380\"]}]}";

    assertThat(EtcdMembers.parse(out)).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.7");
  }

  @Test
  void anAnswerWithoutMembersIsNoAnswer() {
    assertThatThrownBy(() -> EtcdMembers.parse("Error: context deadline exceeded")).hasMessageContaining("no JSON");
    assertThatThrownBy(() -> EtcdMembers.parse("{\"members\":[]}")).hasMessageContaining("named no member");
  }
}
