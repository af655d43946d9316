package dev.ordersaga.web;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds a body without a declared length (chunked) at {@code api.max-body-size} while it is read: over the limit
 * the read fails with {@link TooLarge}, a 413 problem body. {@link BodySizeLimit} refuses declared lengths before
 * any byte is read. Written by hand because the HTTP layer's own limit answers 413 with an empty body.
 */
@Provider
public class BoundedBody implements ReaderInterceptor {

    /** The body went over the limit while it was read. An IOException so that Jackson passes it through unwrapped. */
    public static final class TooLarge extends IOException {
        public TooLarge(long max) {
            super("the body is over " + max + " bytes");
        }
    }

    private final long maxBytes;

    public BoundedBody(@ConfigProperty(name = "api.max-body-size", defaultValue = "65536") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Bounded(context.getInputStream(), maxBytes));
        return context.proceed();
    }

    private static final class Bounded extends FilterInputStream {
        private final long max;
        private long read;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > max) {
                throw new TooLarge(max);
            }
        }
    }
}
