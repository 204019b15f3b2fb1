package io.lockstep.audit;

import java.util.List;

/**
 * One page of audit entries matching a filter.
 *
 * @param entries the rows of this page, in the order asked for
 * @param page zero-based page number
 * @param size rows per page
 * @param total rows matching the filter on all pages
 */
public record AuditPage(List<AuditEntry> entries, int page, int size, long total) {

  public AuditPage {
    entries = List.copyOf(entries);
  }

  public long pages() {
    return size == 0 ? 0 : (total + size - 1) / size;
  }

  public boolean hasPrevious() {
    return page > 0;
  }

  public boolean hasNext() {
    return (long) (page + 1) * size < total;
  }
}
