package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDRBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the API discovery requests ({@code /version}, {@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/GROUP/VERSION}) the way a real API server does. kubectl needs them
 * to map {@code get nodes} or {@code -n resource get sts} to a REST path; the CRUD mock alone answers
 * them with a list of every stored object, which kubectl rejects.
 */
final class ApiDiscovery {

  /** The version the lab claims; P1 targets Proton 2.16, which ships Kubernetes 1.28. */
  static final String GIT_VERSION = "v1.28.15-lab";

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final KubernetesSerialization json;

  ApiDiscovery(KubernetesSerialization json) {
    this.json = json;
  }

  /** A discovery response: HTTP status and JSON body. */
  record Answer(int status, String body) {}

  /**
   * The discovery document for {@code path} (query string already removed), or empty when the path
   * is not a discovery path and belongs to the object store. An unknown group/version is a 404.
   */
  Optional<Answer> answer(String path, List<ApiResourceType> types) {
    return document(path, types).map(body -> body.isEmpty() ? new Answer(404, notFound(path)) : new Answer(200, body));
  }

  private Optional<String> document(String path, List<ApiResourceType> types) {
    String[] parts = path.replaceAll("/+$", "").split("/");
    if (path.equals("/version") || path.equals("/version/")) {
      return Optional.of(version());
    }
    if (parts.length == 2 && parts[1].equals("api")) {
      return Optional.of(json.asJson(new APIVersionsBuilder().withVersions("v1")
          .withServerAddressByClientCIDRs(new ServerAddressByClientCIDRBuilder()
              .withClientCIDR("0.0.0.0/0").withServerAddress("127.0.0.1").build())
          .build()));
    }
    if (parts.length == 2 && parts[1].equals("apis")) {
      return Optional.of(groups(types));
    }
    if (parts.length == 3 && parts[1].equals("api")) {
      return Optional.of(resources("", parts[2], types));
    }
    if (parts.length == 4 && parts[1].equals("apis")) {
      return Optional.of(resources(parts[2], parts[3], types));
    }
    return Optional.empty();
  }

  /** A subresource as discovery names it: {@code pods/eviction} is a {@code policy/v1 Eviction}, as kubectl drain checks. */
  private static APIResource subresource(ApiResourceType type, String sub) {
    APIResourceBuilder resource = new APIResourceBuilder().withName(type.plural() + "/" + sub).withSingularName("")
        .withNamespaced(type.namespaced());
    return switch (sub) {
      case "scale" -> resource.withGroup("autoscaling").withVersion("v1").withKind("Scale")
          .withVerbs(List.of("get", "patch", "update")).build();
      case "eviction" -> resource.withGroup("policy").withVersion("v1").withKind("Eviction")
          .withVerbs(List.of("create")).build();
      case "log" -> resource.withKind(type.kind()).withVerbs(List.of("get")).build();
      default -> resource.withKind(type.kind()).withVerbs(List.of("get", "patch", "update")).build();
    };
  }

  private String notFound(String path) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("status", "Failure");
    status.put("message", "the server could not find the requested resource");
    status.put("reason", "NotFound");
    status.put("details", Map.of("causes", List.of(Map.of("reason", "UnexpectedServerResponse", "message", "404 page not found: " + path))));
    status.put("code", 404);
    return json.asJson(status);
  }

  private String version() {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("major", "1");
    info.put("minor", "28");
    info.put("gitVersion", GIT_VERSION);
    info.put("gitCommit", "0000000000000000000000000000000000000000");
    info.put("gitTreeState", "clean");
    info.put("buildDate", "2024-10-22T20:28:14Z");
    info.put("goVersion", "go1.22.8");
    info.put("compiler", "gc");
    info.put("platform", "linux/amd64");
    return json.asJson(info);
  }

  private String groups(List<ApiResourceType> types) {
    APIGroupListBuilder list = new APIGroupListBuilder();
    ApiCatalog.groups(types).forEach(group -> {
      List<GroupVersionForDiscovery> versions = new ArrayList<>();
      types.stream().filter(t -> t.group().equals(group)).map(ApiResourceType::version).distinct()
          .forEach(v -> versions.add(new GroupVersionForDiscovery(group + "/" + v, v)));
      list.addToGroups(new APIGroupBuilder().withName(group).withVersions(versions)
          .withPreferredVersion(versions.get(0)).build());
    });
    return json.asJson(list.build());
  }

  private String resources(String group, String version, List<ApiResourceType> types) {
    List<APIResource> resources = new ArrayList<>();
    for (ApiResourceType t : types) {
      if (t.group().equals(group) && t.version().equals(version)) {
        resources.add(new APIResourceBuilder().withName(t.plural()).withSingularName(t.singular())
            .withKind(t.kind()).withNamespaced(t.namespaced()).withVerbs(VERBS)
            .withShortNames(t.shortNames()).build());
        for (String sub : t.subresources()) {
          resources.add(subresource(t, sub));
        }
      }
    }
    if (resources.isEmpty()) {
      return "";
    }
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    return json.asJson(new APIResourceListBuilder().withGroupVersion(groupVersion).withResources(resources).build());
  }
}
