package io.lockstep.audit;

import com.openhtmltopdf.extend.FSCacheEx;
import com.openhtmltopdf.extend.FSCacheValue;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;

/**
 * Renders an {@link AuditReport} to PDF: Thymeleaf makes XHTML from {@code audit/report.html},
 * openhtmltopdf lays it out. Text is set in Noto Sans SC (shipped in {@code fonts/}, SIL OFL 1.1),
 * which covers Chinese as well as Latin; without a CJK font every Chinese character would print
 * as {@code #}. The font file is read once; each report parses it from memory and embeds only the
 * glyphs it uses; layout metrics are cached across reports.
 */
@Component
class PdfReport {

  static final String TEMPLATE = "audit/report";
  static final String FONT = "fonts/NotoSansSC-Regular.ttf";
  static final String FONT_FAMILY = "Noto Sans SC";
  /** Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/U+FFFF). */
  private static final Pattern NOT_XML =
      Pattern.compile("[^\\x09\\x0A\\x0D\\x20-\\x{D7FF}\\x{E000}-\\x{FFFD}\\x{10000}-\\x{10FFFF}]");

  private final SpringTemplateEngine templates;
  private final byte[] font;
  private final FSCacheEx<String, FSCacheValue> fontMetrics = new MetricsCache();

  PdfReport(SpringTemplateEngine templates) {
    this.templates = templates;
    this.font = readFont();
  }

  /**
   * Lays the report out and writes the PDF to {@code out}. Each call has its own document and
   * font instance, so reports may be rendered at the same time.
   */
  void write(AuditReport report, Locale locale, OutputStream out) {
    String xhtml = NOT_XML.matcher(templates.process(TEMPLATE, new Context(locale, Map.<String, Object>of("report", report))))
        .replaceAll("\uFFFD");
    try (PDDocument document = new PDDocument(); TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(font))) {
      // Glyph substitution (ligatures) buys nothing in an audit table and, in PDFBox 3.0, costs a
      // regex compiled per text run: 10,000 rows render several times faster without it.
      ttf.setEnableGsub(false);
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.usePDDocument(document);
      builder.useFont(new PDFontSupplier(PDType0Font.load(document, ttf, true)), FONT_FAMILY, 400, FontStyle.NORMAL, true);
      builder.useCacheStore(PdfRendererBuilder.CacheStore.PDF_FONT_METRICS, fontMetrics);
      builder.withHtmlContent(xhtml, null);
      builder.toStream(out);
      builder.run();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the audit PDF", e);
    }
  }

  private static byte[] readFont() {
    try (InputStream in = new ClassPathResource(FONT).getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("the PDF font " + FONT + " is missing from the classpath", e);
    }
  }

  /** openhtmltopdf's font metrics cache, safe for reports rendered at the same time. */
  private static final class MetricsCache implements FSCacheEx<String, FSCacheValue> {
    private final Map<String, FSCacheValue> values = new ConcurrentHashMap<>();

    @Override
    public void put(String key, FSCacheValue value) {
      values.put(key, value);
    }

    @Override
    public FSCacheValue get(String key, Callable<? extends FSCacheValue> loader) {
      return values.computeIfAbsent(key, k -> {
        try {
          return loader.call();
        } catch (Exception e) {
          throw new IllegalStateException("could not load font metrics " + k, e);
        }
      });
    }

    @Override
    public FSCacheValue get(String key) {
      return values.get(key);
    }
  }
}
