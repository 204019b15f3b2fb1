package io.lockstep.datacopy;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How data copies run (prefix {@code lockstep.datacopy}).
 *
 * @param parallelism how many node pairs (source → target) one {@code copy.rsync} step copies at
 *     once; the rows of one pair always go one after the other. Pairs sharing a node share its
 *     disk and network, so more is not always faster
 * @param killAfter how long a node waits, after it asked an rsync that ran out of the step's time
 *     to stop (TERM), before it kills it (KILL): coreutils {@code timeout --kill-after}; whole
 *     seconds (rounded up)
 * @param freeSpaceFactor how much free space the pre-copy demands on each target filesystem, as a
 *     multiple of the bytes it will copy there (1.1: ten percent to spare)
 */
@Validated
@ConfigurationProperties("lockstep.datacopy")
record DataCopyProperties(
    @DefaultValue("6") @Min(1) @Max(64) int parallelism,
    @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) Duration killAfter,
    @DefaultValue("1.1") @DecimalMin("1.0") double freeSpaceFactor) {}
