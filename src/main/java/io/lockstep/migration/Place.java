package io.lockstep.migration;

/**
 * A directory on a node: where a replica's data is, or is to go.
 *
 * @param node the node's name
 * @param path an absolute path on that node
 */
record Place(String node, String path) {

  /** The place as messages show it: {@code node-4:/sysvol/kafka/kafka_data}. */
  @Override
  public String toString() {
    return node + ":" + path;
  }

  /** {@code other} is this directory, inside it, or holds it, on the same node. */
  boolean overlaps(Place other) {
    return node.equals(other.node) && (path.equals(other.path) || inside(path, other.path) || inside(other.path, path));
  }

  private static boolean inside(String path, String dir) {
    return path.startsWith(dir.endsWith("/") ? dir : dir + "/");
  }
}
