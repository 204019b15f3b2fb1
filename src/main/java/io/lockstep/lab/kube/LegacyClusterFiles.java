package io.lockstep.lab.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The lab cluster's state as earlier versions saved it: one JSON array per resource type
 * ({@code core_v1_pods.json}, {@code apps_v1_statefulsets.json}, …). Read once, when a lab made by
 * such a version starts, so that an operator's lab survives the upgrade; {@link ClusterStorage}
 * then writes it in its own format and deletes these files.
 */
final class LegacyClusterFiles {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LegacyClusterFiles() {}

  static boolean present(Path dir) {
    return Files.exists(dir.resolve(fileName(ApiCatalog.NAMESPACES)));
  }

  /**
   * Loads every saved object into the (not yet serving) store, custom resource definitions first
   * (the types of custom resources come from them); answers the generation the state stands for.
   */
  static long restore(Path dir, StoreRestore restore) {
    restoreType(dir, restore, ApiCatalog.CRDS);
    for (ApiResourceType type : restore.store().types()) {
      if (!type.equals(ApiCatalog.CRDS)) {
        restoreType(dir, restore, type);
      }
    }
    return 1;
  }

  /** Deletes the files of these types. */
  static void delete(Path dir, List<ApiResourceType> types) {
    try {
      for (ApiResourceType type : types) {
        Files.deleteIfExists(dir.resolve(fileName(type)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the earlier lab cluster files in " + dir, e);
    }
  }

  private static void restoreType(Path dir, StoreRestore restore, ApiResourceType type) {
    Path file = dir.resolve(fileName(type));
    if (!Files.exists(file)) {
      return;
    }
    try {
      JsonNode items = JSON.readTree(Files.readString(file));
      if (items instanceof ArrayNode array) {
        for (JsonNode object : array) {
          String namespace = object.path("metadata").path("namespace").asString(null);
          String name = object.path("metadata").path("name").asString();
          restore.put(new StoreKey(type.collectionPath(namespace), name), JSON.writeValueAsString(object));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static String fileName(ApiResourceType type) {
    return (type.group().isEmpty() ? "core" : type.group()) + "_" + type.version() + "_" + type.plural() + ".json";
  }
}
