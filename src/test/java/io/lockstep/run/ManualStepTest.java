package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A manual step's checklist in the reader's language, item for item. */
class ManualStepTest {

  private final ManualStep manual = new ManualStep();

  private static List<String> checklistLines(StepPreview preview, Locale locale) {
    return preview.lines().stream().filter(l -> "preview.manual.checklist".equals(l.code()))
        .map(l -> ((StepPreview.Line) l.in(locale).args().get(0)).english()).toList();
  }

  @Test
  void aChineseReaderSeesEachItemInChineseAndOthersTheEnglish() {
    StepPreview preview = manual.preview(Map.of("instructions", "Check", "checklist", List.of("A backup exists", "Data intact"),
        "checklist_zh", List.of("已有备份", "数据完好")));
    assertThat(checklistLines(preview, Locale.SIMPLIFIED_CHINESE)).containsExactly("已有备份", "数据完好");
    assertThat(checklistLines(preview, Locale.ENGLISH)).containsExactly("A backup exists", "Data intact");
    assertThat(preview.actions()).contains("checklist: A backup exists", "checklist: Data intact");
  }

  @Test
  void aChineseChecklistOfAnotherLengthIsRefused() {
    assertThatThrownBy(() -> manual.preview(Map.of("instructions", "Check", "checklist", List.of("a", "b"),
        "checklist_zh", List.of("甲"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checklist_zh").hasMessageContaining("1 items");
    assertThatThrownBy(() -> manual.preview(Map.of("instructions", "Check", "checklist_zh", List.of(3))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list of texts");
  }
}
