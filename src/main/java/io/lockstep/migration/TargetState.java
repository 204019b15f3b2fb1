package io.lockstep.migration;

/**
 * What a target directory looks like on its node before anything is copied.
 *
 * @param exists the path exists (as a file or a directory)
 * @param directory it is a directory
 * @param firstEntry the first entry found inside it; null when it is absent or empty
 * @param available bytes free on the filesystem that holds it (or would hold it: that of its
 *     nearest existing parent), as {@code df} reports them to the copying user
 * @param mount where that filesystem is mounted; rows copying to one mount share its free space
 */
record TargetState(boolean exists, boolean directory, String firstEntry, long available, String mount) {

  /** Absent or an empty directory: the only states a copy may start into. */
  boolean usable() {
    return !exists || (directory && firstEntry == null);
  }
}
