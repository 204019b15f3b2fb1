package io.lockstep.migration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of the moves picture, drawn by the template as SVG: the nodes data leaves on the
 * left, the nodes it goes to on the right, one labelled arrow per moving row. Each arrow starts in
 * a slot of its own on the left, so the labels written at the arrows' starts never overlap.
 *
 * @param width the picture's width
 * @param height its height
 * @param boxes one per node on either side
 * @param arrows one per moving row, in table order
 * @param staying how many rows do not move
 */
record MovesPicture(int width, int height, List<Box> boxes, List<Arrow> arrows, int staying) {

  static final int WIDTH = 520;
  private static final int BOX_WIDTH = 110;
  private static final int HEADER = 24;
  private static final int SLOT = 18;
  private static final int PADDING = 8;
  private static final int GAP = 14;
  private static final int LEFT = 4;
  private static final int RIGHT = WIDTH - BOX_WIDTH - 4;

  /** A node: {@code (x, y)} its top left corner. */
  record Box(String node, int x, int y, int w, int h, boolean source, int labelX, int labelY) {}

  /**
   * A moving row.
   *
   * @param host a host service changing directory on its node
   * @param title what the arrow stands for in words (its tooltip)
   */
  record Arrow(String key, int x1, int y1, int x2, int y2, int labelX, int labelY, boolean host, String title) {}

  static MovesPicture of(List<Row> rows, List<String> nodeOrder) {
    List<Row> moving = rows.stream().filter(Row::moves).toList();
    Map<String, List<Row>> from = grouped(moving, nodeOrder, true);
    Map<String, List<Row>> to = grouped(moving, nodeOrder, false);
    List<Box> boxes = new ArrayList<>();
    Map<String, Box> left = stack(from, LEFT, true, boxes);
    Map<String, Box> right = stack(to, RIGHT, false, boxes);
    List<Arrow> arrows = new ArrayList<>();
    for (Row row : moving) {
      Box a = left.get(row.sourceNode());
      Box b = right.get(row.targetNode());
      int y1 = slotY(a, from.get(row.sourceNode()).indexOf(row));
      int y2 = slotY(b, to.get(row.targetNode()).indexOf(row));
      arrows.add(new Arrow(row.key(), a.x() + a.w(), y1, b.x() - 2, y2, a.x() + a.w() + 6, y1 - 3, row.host(),
          row.key() + ": " + row.source() + " → " + row.target() + " (" + Bytes.human(row.bytes()) + ")"));
    }
    int height = boxes.stream().mapToInt(b -> b.y() + b.h()).max().orElse(0) + PADDING;
    return new MovesPicture(WIDTH, Math.max(height, 40), boxes, arrows, rows.size() - moving.size());
  }

  private static Map<String, List<Row>> grouped(List<Row> rows, List<String> nodeOrder, boolean bySource) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(nodeOrder);
    rows.stream().map(r -> bySource ? r.sourceNode() : r.targetNode()).filter(n -> !order.contains(n))
        .distinct().forEach(order::add);
    for (String node : order) {
      List<Row> list = rows.stream().filter(r -> node.equals(bySource ? r.sourceNode() : r.targetNode())).toList();
      if (!list.isEmpty()) {
        groups.put(node, list);
      }
    }
    return groups;
  }

  private static Map<String, Box> stack(Map<String, List<Row>> groups, int x, boolean source, List<Box> boxes) {
    Map<String, Box> placed = new LinkedHashMap<>();
    int y = PADDING;
    for (Map.Entry<String, List<Row>> group : groups.entrySet()) {
      int h = HEADER + group.getValue().size() * SLOT + PADDING;
      Box box = new Box(group.getKey(), x, y, BOX_WIDTH, h, source, x + BOX_WIDTH / 2, y + 16);
      placed.put(group.getKey(), box);
      boxes.add(box);
      y += h + GAP;
    }
    return placed;
  }

  private static int slotY(Box box, int index) {
    return box.y() + HEADER + index * SLOT + SLOT / 2;
  }
}
