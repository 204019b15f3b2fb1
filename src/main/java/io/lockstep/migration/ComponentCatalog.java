package io.lockstep.migration;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.Kubernetes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Which conf key and kind each base component has, read from Secret {@value #SECRET} (its namespace
 * is found by name): every data key {@code CONFKEY.yaml} is a file whose {@code name:} is the
 * component and {@code kind:} is {@code helm} or {@code operator}.
 *
 * <p>The files also hold the components' credentials. Only {@code name} and {@code kind} are taken
 * out of them; nothing else is kept, logged or shown.
 */
@Component
class ComponentCatalog {

  static final String SECRET = "persist-component-manage-components";
  private static final String SUFFIX = ".yaml";
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private final Kubernetes kubernetes;

  ComponentCatalog(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** Conf key and kind of one component. */
  record Entry(String confKey, String kind) {}

  /**
   * What the Secret says.
   *
   * @param entries by component name
   * @param problem why the Secret could not be read; null when it was
   */
  record Catalog(Map<String, Entry> entries, String problem) {}

  Catalog read() {
    List<Secret> found;
    try {
      found = kubernetes.client().secrets().inAnyNamespace().withField("metadata.name", SECRET).list().getItems();
    } catch (KubernetesClientException e) {
      return new Catalog(Map.of(), "cannot read Secret " + SECRET + ": " + e.getMessage());
    }
    if (found.isEmpty()) {
      return new Catalog(Map.of(), "there is no Secret " + SECRET + " in any namespace");
    }
    Secret secret = found.stream().min(Comparator.comparing(s -> s.getMetadata().getNamespace())).orElseThrow();
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    data.keySet().stream().filter(k -> k.endsWith(SUFFIX)).sorted().forEach(key -> {
      JsonNode file = file(data.get(key));
      String name = file == null ? "" : file.path("name").asString("");
      if (!name.isBlank()) {
        String kind = file.path("kind").asString("").strip().toLowerCase(Locale.ROOT);
        entries.put(name.strip(), new Entry(key.substring(0, key.length() - SUFFIX.length()), kind));
      }
    });
    return new Catalog(entries, null);
  }

  private static JsonNode file(String base64) {
    try {
      return YAML.readTree(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
    } catch (JacksonException | IllegalArgumentException e) {
      // An unreadable file names no component; its content is never repeated anywhere.
      return null;
    }
  }
}
