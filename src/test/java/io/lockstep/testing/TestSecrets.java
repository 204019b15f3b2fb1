package io.lockstep.testing;

import io.lockstep.secrets.Sealer;

/** One sealer for the stores that tests build by hand, so a "restarted" store opens what the first sealed. */
public final class TestSecrets {

  public static final Sealer SEALER = Sealer.withKeys(Sealer.randomKey());

  private TestSecrets() {}
}
