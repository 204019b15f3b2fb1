package io.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** A PDF opened with PDFBox, as a reader would: its page count and its text. */
public record PdfText(int pages, String text) {

  /** The text without any whitespace, so words a line break split still match. */
  public String squeezed() {
    return squeeze(text);
  }

  public static String squeeze(String text) {
    return text.replaceAll("\\s+", "");
  }

  public static PdfText of(byte[] pdf) {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PdfText(document.getNumberOfPages(), new PDFTextStripper().getText(document));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
