package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Puts saved objects back into a store that does not serve yet, exactly as they were (uid,
 * resourceVersion, timestamps), bypassing the handlers that would give them new ones; a later
 * state of the same object replaces the earlier one, a deletion removes it. {@link #finish} then
 * moves the store's version counter and fabric8's uid counter past everything restored, so that no
 * later object reuses a version or a uid (owner references must keep pointing at the right uids).
 */
final class StoreRestore {

  private final LabDispatcher store;
  private final Map<StoreKey, AttributeSet> restored = new HashMap<>();
  private long highestVersion;
  private long highestUid;

  StoreRestore(LabDispatcher store) {
    this.store = store;
  }

  LabDispatcher store() {
    return store;
  }

  /** An object's saved state, in place of what was restored under the same key before. */
  void put(StoreKey key, String object) {
    GenericKubernetesResource resource = store.serialization().unmarshal(object, GenericKubernetesResource.class);
    AttributeSet query = key.query(store);
    store.processEvent(key.path(), query, restored.get(key), resource, object);
    restored.put(key, store.attributesOf(query, resource, object));
    highestVersion = Math.max(highestVersion, parseVersion(resource.getMetadata().getResourceVersion()));
    UUID uid = counterUid(resource.getMetadata().getUid());
    if (uid != null) {
      highestUid = Math.max(highestUid, uid.getLeastSignificantBits());
    }
  }

  /** An object deleted later, its deletion given resourceVersion {@code version}. */
  void delete(StoreKey key, long version) {
    AttributeSet old = restored.remove(key);
    if (old != null) {
      store.processEvent(key.path(), key.query(store), old, null, null);
    }
    highestVersion = Math.max(highestVersion, version);
  }

  /** A version given out before the save (a snapshot's counter), to be skipped as well. */
  void versionGiven(long version) {
    highestVersion = Math.max(highestVersion, version);
  }

  /** Ends the restore: the counters move past every version and uid restored or given. */
  void finish() {
    restored.clear();
    store.versionsUpTo(highestVersion);
    while (Utils.generateId().getLeastSignificantBits() < highestUid) {
      // advancing the counter is the point
    }
  }

  private static long parseVersion(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A uid from fabric8's counter (most significant bits zero); null for any other uid. */
  private static UUID counterUid(String value) {
    try {
      UUID uid = value == null ? null : UUID.fromString(value);
      return uid != null && uid.getMostSignificantBits() == 0 ? uid : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
