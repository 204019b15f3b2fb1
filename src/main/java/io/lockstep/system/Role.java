package io.lockstep.system;

/**
 * What a user may do. OPERATOR plans and runs procedures, APPROVER approves phases others asked
 * for, VIEWER only reads. A user may hold several roles (a lead is often OPERATOR and APPROVER,
 * yet still may never approve their own request).
 */
public enum Role {
  OPERATOR,
  APPROVER,
  VIEWER;

  /** The Spring Security authority name, {@code ROLE_OPERATOR} etc. */
  public String authority() {
    return "ROLE_" + name();
  }
}
