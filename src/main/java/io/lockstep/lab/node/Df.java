package io.lockstep.lab.node;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code df [-h|-k|-P|-B SIZE] [--output=FIELD,…] [PATH…]}: each lab node has one filesystem,
 * {@code /dev/vda1} mounted on {@code /}, of the seed's disk size; "used" is the apparent size of
 * everything in the node's sandbox (so it grows as data is copied in). One row per path argument,
 * with GNU df's column layout (minimum widths included). Fields of {@code --output}: source,
 * size, used, avail, pcent, target.
 */
final class Df implements NodeCommand {

  private static final List<String> DEFAULT_FIELDS = List.of("source", "size", "used", "avail", "pcent", "target");
  private static final Map<String, Integer> MIN_WIDTHS =
      Map.of("source", 14, "size", 5, "used", 5, "avail", 5, "pcent", 4, "target", 0);
  private static final Map<String, Long> BLOCK_SIZES = Map.of(
      "1", 1L, "K", 1024L, "1K", 1024L, "1024", 1024L, "M", 1L << 20, "1M", 1L << 20, "G", 1L << 30, "1G", 1L << 30);

  private final Sandbox sandbox;
  private final long diskBytes;

  Df(Sandbox sandbox, long diskBytes) {
    this.sandbox = sandbox;
    this.diskBytes = diskBytes;
  }

  /** How to print: {@code block} is the -B argument ("K", "1M", "1"); a bare letter suffixes values. */
  private record Layout(boolean human, boolean posix, String block, List<String> fields) {
    long blockSize() {
      return BLOCK_SIZES.get(block);
    }

    String blockName() {
      return block.equals("1") ? "1B" : block.startsWith("1") ? block : "1" + block;
    }

    String suffix() {
      return Character.isLetter(block.charAt(0)) ? block : "";
    }
  }

  @Override
  public int run(Invocation call) throws IOException {
    boolean human = false;
    boolean posix = false;
    String block = "1K";
    List<String> fields = DEFAULT_FIELDS;
    List<String> paths = new ArrayList<>();
    List<String> args = call.args();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--output=")) {
        fields = List.of(arg.substring("--output=".length()).split(","));
        if (!DEFAULT_FIELDS.containsAll(fields) || new HashSet<>(fields).size() != fields.size()) {
          return call.fail(1, "option --output: field " + fields + " unknown or used more than once");
        }
      } else if (arg.startsWith("--block-size=") || arg.startsWith("-B")) {
        block = arg.startsWith("--") ? arg.substring("--block-size=".length())
            : arg.length() > 2 ? arg.substring(2) : i + 1 < args.size() ? args.get(++i) : "";
        if (!BLOCK_SIZES.containsKey(block)) {
          return call.fail(1, "invalid -B argument '" + block + "'");
        }
      } else if (arg.startsWith("-") && arg.length() > 1 && arg.chars().skip(1).allMatch(c -> "hkP".indexOf(c) >= 0)) {
        human |= arg.indexOf('h') > 0;
        posix |= arg.indexOf('P') > 0;
        block = arg.indexOf('k') > 0 ? "1K" : block;
      } else if (arg.startsWith("-")) {
        return call.fail(1, "invalid option -- '" + arg.substring(1) + "'");
      } else {
        paths.add(arg);
      }
    }
    int status = 0;
    int rows = 0;
    for (String path : paths.isEmpty() ? List.of("/") : paths) {
      if (Files.exists(sandbox.resolve(path))) {
        rows++;
      } else {
        status = call.fail(1, path + ": No such file or directory");
      }
    }
    if (rows > 0) {
      print(call, new Layout(human, posix, block, fields), rows);
    }
    return status;
  }

  private void print(Invocation call, Layout layout, int count) throws IOException {
    long used = Math.min(sandbox.usedBytes(), diskBytes);
    String percent = (diskBytes == 0 ? 0 : Sizes.ceilDiv(used * 100, diskBytes)) + "%";
    Map<String, String> values;
    if (layout.human()) {
      values = Map.of("size", Sizes.human(diskBytes), "used", Sizes.human(used), "avail", Sizes.human(diskBytes - used));
    } else {
      long sizeBlocks = diskBytes / layout.blockSize();
      long usedBlocks = Sizes.ceilDiv(used, layout.blockSize());
      String suffix = layout.suffix();
      values = Map.of("size", sizeBlocks + suffix, "used", usedBlocks + suffix,
          "avail", Math.max(0, sizeBlocks - usedBlocks) + suffix);
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(layout.fields().stream().map(f -> header(f, layout)).toArray(String[]::new));
    for (int r = 0; r < count; r++) {
      rows.add(layout.fields().stream().map(f -> switch (f) {
        case "source" -> "/dev/vda1";
        case "target" -> "/";
        case "pcent" -> percent;
        default -> values.get(f);
      }).toArray(String[]::new));
    }
    Set<Integer> left = new HashSet<>();
    int[] minWidths = new int[layout.fields().size()];
    for (int c = 0; c < minWidths.length; c++) {
      String field = layout.fields().get(c);
      minWidths[c] = MIN_WIDTHS.get(field);
      if (field.equals("source") || field.equals("target")) {
        left.add(c);
      }
    }
    for (String line : Columns.align(rows, left, minWidths)) {
      call.out(line);
    }
  }

  private static String header(String field, Layout layout) {
    boolean custom = layout.fields() != DEFAULT_FIELDS;
    return switch (field) {
      case "source" -> "Filesystem";
      case "size" -> layout.human() ? "Size" : layout.posix() && layout.blockSize() == 1024 ? "1024-blocks" : layout.blockName() + "-blocks";
      case "used" -> "Used";
      case "avail" -> layout.human() || custom ? "Avail" : "Available";
      case "pcent" -> layout.posix() ? "Capacity" : "Use%";
      default -> "Mounted on";
    };
  }
}
