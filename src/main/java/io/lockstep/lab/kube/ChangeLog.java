package io.lockstep.lab.kube;

/**
 * Where the lab's store writes each change before it applies it, and so before any client hears
 * of it: the cluster's journal on disk ({@link ClusterStorage}). A method that returns has made the
 * change durable; one that throws has not, and the store then refuses the change.
 */
interface ChangeLog {

  /** An object was created or changed: {@code object} is its new state as the API serves it. */
  void put(StoreKey key, long version, String object);

  /** An object is gone; {@code version} is the resourceVersion its deletion was given. */
  void delete(StoreKey key, long version);
}
