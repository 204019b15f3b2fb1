package io.lockstep;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Lockstep: runs maintenance procedures on on-prem Kubernetes platforms, four eyes on every phase. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LockstepApplication {

  public static void main(String[] args) {
    SpringApplication.run(LockstepApplication.class, args);
  }
}
