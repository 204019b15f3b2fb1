package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.lab.LabSeed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two Secrets that hold the node assignment of every component (P1 phase 8 rewrites both):
 * {@value #CLI_CONFIG} in the proton namespace, whose key {@value #CONF_KEY} is the cluster
 * configuration (the lab's source of truth for {@code proton-cli get conf}) next to the nodes' SSH
 * password; and {@value #COMPONENTS} in the resource namespace, one {@code CONFKEY.yaml} file per
 * component naming its namespace, replicas, hosts in ordinal order, data path and credentials.
 */
final class ProtonSecrets {

  static final String CLI_CONFIG = "proton-cli-config";
  static final String CONF_KEY = "ClusterConfiguration";
  static final String PASSWORD_KEY = "ssh-password";
  static final String COMPONENTS = "persist-component-manage-components";

  private final KubernetesClient client;
  private final LabSeed seed;

  ProtonSecrets(KubernetesClient client, LabSeed seed) {
    this.client = client;
    this.seed = seed;
  }

  /** Creates both Secrets for the seeded platform. */
  void seed(ProtonConf conf) {
    Map<String, String> cli = new LinkedHashMap<>();
    cli.put(CONF_KEY, conf.yaml());
    cli.put(PASSWORD_KEY, seed.platform().rootPassword());
    client.secrets().resource(secret(seed.platform().protonNamespace(), CLI_CONFIG, cli)).create();
    Map<String, String> files = new LinkedHashMap<>();
    for (LabSeed.Component component : seed.components()) {
      files.put(fileName(component), componentFile(component, conf.placement(component.confKey())
          .orElse(new Placement(component.nodes(), component.dataPath())), conf.settings(component.confKey())));
    }
    client.secrets().resource(secret(seed.platform().resourceNamespace(), COMPONENTS, files)).create();
  }

  /** The configuration as last applied; empty when the Secret or its key is gone. */
  Optional<String> conf() {
    Secret secret = client.secrets().inNamespace(seed.platform().protonNamespace()).withName(CLI_CONFIG).get();
    if (secret == null || secret.getData() == null || secret.getData().get(CONF_KEY) == null) {
      return Optional.empty();
    }
    return Optional.of(decode(secret.getData().get(CONF_KEY)));
  }

  /** Records an applied configuration. */
  void writeConf(String yaml) {
    update(seed.platform().protonNamespace(), CLI_CONFIG, Map.of(CONF_KEY, yaml));
  }

  /** Rewrites the component files of components whose placement changed. */
  void writeComponents(Map<LabSeed.Component, Placement> changed, ProtonConf conf) {
    Map<String, String> files = new LinkedHashMap<>();
    changed.forEach((component, placement) -> files.put(fileName(component),
        componentFile(component, placement, conf.settings(component.confKey()))));
    if (!files.isEmpty()) {
      update(seed.platform().resourceNamespace(), COMPONENTS, files);
    }
  }

  /** Sets keys of a Secret, creating it if an operator deleted it (P1 re-creates both Secrets). */
  private void update(String namespace, String name, Map<String, String> files) {
    if (client.secrets().inNamespace(namespace).withName(name).get() == null) {
      client.secrets().resource(secret(namespace, name, files)).create();
      return;
    }
    client.secrets().inNamespace(namespace).withName(name).edit(s -> {
      SecretBuilder edited = new SecretBuilder(s);
      files.forEach((key, text) -> edited.addToData(key, encode(text)));
      return edited.build();
    });
  }

  /** The placement the component's file names; empty when the file is missing or unreadable. */
  Optional<Placement> componentPlacement(LabSeed.Component component) {
    Secret secret = client.secrets().inNamespace(seed.platform().resourceNamespace()).withName(COMPONENTS).get();
    String data = secret == null || secret.getData() == null ? null : secret.getData().get(fileName(component));
    if (data == null) {
      return Optional.empty();
    }
    try {
      JsonNode file = ProtonConf.YAML.readTree(decode(data));
      List<String> hosts = new ArrayList<>();
      file.path("hosts").forEach(h -> hosts.add(h.asString()));
      return Optional.of(new Placement(hosts, file.path("data_path").asString("")));
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  static String fileName(LabSeed.Component component) {
    return component.confKey() + ".yaml";
  }

  private String componentFile(LabSeed.Component component, Placement placement, Map<String, String> settings) {
    ObjectNode file = ProtonConf.YAML.createObjectNode();
    file.put("name", component.name());
    file.put("namespace", seed.platform().resourceNamespace());
    file.put("kind", component.kind());
    file.put("image", component.image());
    file.put("replicas", placement.hosts().size());
    placement.hosts().forEach(file.putArray("hosts")::add);
    file.put("data_path", placement.dataPath());
    file.put("storageClassName", ComponentObjects.STORAGE_CLASS);
    Map<String, String> credentials = new LinkedHashMap<>(component.credentials());
    credentials.putAll(settings);
    credentials.forEach((key, value) -> {
      if (!List.of("name", "namespace", "replicas", "hosts", "data_path").contains(key)) {
        file.put(key, value);
      }
    });
    return ProtonConf.YAML.writeValueAsString(file);
  }

  private static Secret secret(String namespace, String name, Map<String, String> files) {
    Map<String, String> data = new LinkedHashMap<>();
    files.forEach((key, value) -> data.put(key, encode(value)));
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withType("Opaque").withData(data).build();
  }

  static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
