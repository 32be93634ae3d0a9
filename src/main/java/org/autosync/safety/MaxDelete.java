package org.autosync.safety;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The {@code --max_delete} limit: an absolute number of deletes ({@code N}) or a share of the objects in
 * scope ({@code P%}). A percentage always allows at least {@link #PERCENT_FLOOR} deletes, so that small
 * trees can be mirrored; an absolute number is taken as given. {@code 100%} means no limit.
 */
public record MaxDelete(long count, BigDecimal percent) {

    /** Deletes a percentage limit always allows, however small the tree. */
    public static final long PERCENT_FLOOR = 10;

    public static final MaxDelete DEFAULT = parse("50%");

    public MaxDelete {
        boolean valid = percent == null ? count >= 0 : count == -1;
        if (!valid) {
            throw new IllegalArgumentException("a --max_delete limit is either a count (0 or more) or a percentage");
        }
    }

    /** Parses {@code N} (0 or more) or {@code P%} (0 to 100, decimals allowed). */
    public static MaxDelete parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("%")) {
                BigDecimal p = new BigDecimal(value.substring(0, value.length() - 1).trim());
                if (p.signum() < 0 || p.compareTo(BigDecimal.valueOf(100)) > 0) {
                    throw new IllegalArgumentException();
                }
                return new MaxDelete(-1, p.stripTrailingZeros());
            }
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new IllegalArgumentException();
            }
            return new MaxDelete(n, null);
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("'" + text + "' is not a delete limit: give a number of objects "
                    + "(e.g. 100) or a percentage from 0% to 100% of the objects in scope (e.g. 50%)");
        }
    }

    /** Whether this limit never refuses anything ({@code 100%}). */
    public boolean unlimited() {
        return percent != null && percent.compareTo(BigDecimal.valueOf(100)) >= 0;
    }

    /**
     * How many deletes this limit allows when {@code inScope} objects are in scope; a negative
     * {@code inScope} means the count is not known yet (a percentage then allows its floor).
     */
    public long allowed(long inScope) {
        if (percent == null) {
            return count;
        }
        if (unlimited()) {
            return Long.MAX_VALUE;
        }
        long share = inScope < 0 ? 0 : BigDecimal.valueOf(inScope).multiply(percent)
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR).longValueExact();
        return Math.max(PERCENT_FLOOR, share);
    }

    @Override
    public String toString() {
        return percent == null ? Long.toString(count) : percent.toPlainString() + "%";
    }
}
