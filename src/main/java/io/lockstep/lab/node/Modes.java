package io.lockstep.lab.node;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Octal file modes ({@code 0640}) as Java permission sets. */
final class Modes {

  private static final PosixFilePermission[] BITS = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  private Modes() {}

  static Set<PosixFilePermission> fromOctal(String octal) {
    if (!octal.matches("[0-7]{1,4}")) {
      throw new IllegalArgumentException("not an octal mode: " + octal);
    }
    return of(Integer.parseInt(octal, 8));
  }

  static Set<PosixFilePermission> of(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(BITS[bit]);
      }
    }
    return set;
  }
}
