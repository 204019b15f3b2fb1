package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestPathTest {

  @Test
  void takesApartCorePathsGroupPathsAndSubresources() {
    assertThat(RestPath.parse("/api/v1/namespaces/resource/pods/kafka-0/log?follow=true"))
        .contains(new RestPath("v1", "resource", "pods", "kafka-0", "log"));
    assertThat(RestPath.parse("/apis/apps/v1/namespaces/resource/statefulsets/kafka/scale"))
        .contains(new RestPath("apps/v1", "resource", "statefulsets", "kafka", "scale"));
    assertThat(RestPath.parse("/api/v1/nodes")).contains(new RestPath("v1", null, "nodes", null, null));
    assertThat(RestPath.parse("/api/v1/namespaces/resource"))
        .contains(new RestPath("v1", null, "namespaces", "resource", null));
    assertThat(RestPath.parse("/apis/apps/v1")).isEmpty();
    assertThat(RestPath.parse("/version")).isEmpty();
  }

  @Test
  void rebuildsTheObjectPathOfASubresource() {
    assertThat(RestPath.parse("/apis/apps/v1/namespaces/x/deployments/web/scale").orElseThrow().objectPath())
        .isEqualTo("/apis/apps/v1/namespaces/x/deployments/web");
  }
}
