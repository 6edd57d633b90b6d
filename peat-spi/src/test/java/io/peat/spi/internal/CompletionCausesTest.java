package io.peat.spi.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CompletionCausesTest {

    @Test
    void peelsNestedCompletionAndExecutionExceptions() {
        IOException root = new IOException("root");
        Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(root)));

        assertSame(root, CompletionCauses.unwrap(wrapped));
    }

    @Test
    void seesThroughWhatAFailedFutureThrows() {
        IOException root = new IOException("root");
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(root);
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> failed.thenApply(v -> v).get());

        assertSame(root, CompletionCauses.unwrap(thrown));
    }

    @Test
    void returnsANonWrapperUntouched() {
        IllegalStateException plain = new IllegalStateException("plain", new CompletionException(new IOException()));

        assertSame(plain, CompletionCauses.unwrap(plain));
    }

    @Test
    void stopsAtAWrapperWithNoCause() {
        CompletionException bare = new CompletionException("no cause", null);
        ExecutionException outer = new ExecutionException(bare);

        assertSame(bare, CompletionCauses.unwrap(bare));
        assertSame(bare, CompletionCauses.unwrap(outer));
    }

    @Test
    void returnsNullForNull() {
        assertNull(CompletionCauses.unwrap(null));
    }
}
