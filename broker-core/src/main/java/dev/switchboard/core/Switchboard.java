package dev.switchboard.core;

import dev.switchboard.core.broker.BrokerTimings;
import dev.switchboard.core.broker.LocalBroker;
import dev.switchboard.core.dispatch.DispatchRuntime;
import dev.switchboard.core.log.RocksStore;
import dev.switchboard.core.log.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The embedded Switchboard: brokers with durable logs in one data directory, and in-process
 * subscribers.
 *
 * <pre>{@code
 * try (Switchboard sb = Switchboard.builder().dataDir(dir).build()) {
 *     Broker broker = sb.broker("default");
 *     sb.subscribe("default", "audit", EventFilter.all(), event -> System.out.println(event.getId()));
 *     broker.publish(event).toCompletableFuture().join(); // durable when this returns
 * }
 * }</pre>
 *
 * <p>Brokers that exist in the data directory are reopened on first use, and subscriptions resume
 * from their durable cursors.
 */
public final class Switchboard implements AutoCloseable {
    private static final Pattern BROKER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,252}");

    private final RocksStore store;
    private final DispatchRuntime runtime;
    private final ExecutorService handlers;
    private final BrokerConfig defaultConfig;
    private final BrokerTimings timings;
    private final FilterIndex.Factory indexes;
    private final Clock clock;
    private final Map<String, LocalBroker> brokers = new LinkedHashMap<>();
    private boolean closed;

    private Switchboard(Builder builder) {
        this.store = RocksStore.open(builder.dataDir, builder.storeOptions);
        this.runtime = new DispatchRuntime(builder.dispatchThreads, builder.callerLoops);
        this.defaultConfig = builder.defaultConfig;
        this.timings = builder.timings;
        this.indexes = builder.indexes;
        this.clock = builder.clock;
        AtomicInteger count = new AtomicInteger();
        this.handlers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-handler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The broker with this name, opened (or created) with the default configuration if needed. */
    public synchronized Broker broker(String name) {
        ensureOpen();
        LocalBroker broker = brokers.get(name);
        return broker != null ? broker : createBroker(name, defaultConfig);
    }

    /** Opens (or creates) a broker with this configuration, or applies it to the open broker. */
    public synchronized Broker createBroker(String name, BrokerConfig config) {
        ensureOpen();
        Objects.requireNonNull(config, "config");
        if (name == null || !BROKER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("broker name '" + name + "' must match " + BROKER_NAME.pattern());
        }
        LocalBroker broker = brokers.get(name);
        if (broker != null) {
            broker.reconfigure(config);
            return broker;
        }
        broker = new LocalBroker(name, config, store, runtime, timings, indexes, clock);
        brokers.put(name, broker);
        return broker;
    }

    /**
     * A {@link PublishGroup} for one event loop: {@code endOfTurn} runs a task on that loop once its
     * current turn is over (with Vert.x, {@code task -> context.runOnContext(v -> task.run())}).
     */
    public PublishGroup publishGroup(Executor endOfTurn) {
        return store.writer().newGroup(Objects.requireNonNull(endOfTurn, "endOfTurn"));
    }

    /** The open broker with this name, if any. */
    public synchronized Optional<Broker> findBroker(String name) {
        return Optional.ofNullable(brokers.get(name));
    }

    /** Whether a broker of this name has a log in the data directory, open or not. */
    public boolean hasStoredBroker(String name) {
        return store.hasLog(name);
    }

    /** Names of the brokers that have a log in the data directory, open or not. */
    public List<String> storedBrokers() {
        return store.brokerNames();
    }

    /**
     * Subscribes an in-process handler to every event the filter matches, unordered, starting with
     * events published from now on (or where the subscription's cursor stopped, if it ran before).
     */
    public Subscription subscribe(String broker, String name, EventFilter filter, EventHandler handler) {
        return broker(broker)
                .subscribe(SubscriptionSpec.of(name, handlerSink(handler)).withFilter(filter));
    }

    /** Subscribes with full control over ordering, start position and in-flight limit. */
    public Subscription subscribe(String broker, SubscriptionSpec spec) {
        return broker(broker).subscribe(spec);
    }

    /**
     * A sink that runs {@code handler} on this instance's handler threads, so a slow handler holds up
     * only its own subscription.
     */
    public EventSink handlerSink(EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return event -> CompletableFuture.supplyAsync(
                () -> {
                    try {
                        handler.handle(event);
                        return DeliveryOutcome.delivered();
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                },
                handlers);
    }

    private void ensureOpen() {
        if (closed) {
            throw BrokerException.closed("switchboard at " + store.directory());
        }
    }

    /**
     * Stops dispatching, writes the last cursors and every queued event, then closes the store.
     * Events published before close and acknowledged are durable.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Order matters (do not rearrange): brokers stop their dispatchers and queue their final cursor
        // writes; the dispatch threads finish their passes, so nothing reads RocksDB any more; the store
        // drains its writer and closes RocksDB.
        brokers.values().forEach(LocalBroker::close);
        runtime.close();
        store.close();
        handlers.shutdownNow();
    }

    /** Configures and opens a {@link Switchboard}. */
    public static final class Builder {
        private Path dataDir;
        private BrokerConfig defaultConfig = BrokerConfig.defaults();
        private StoreOptions storeOptions = StoreOptions.defaults();
        private BrokerTimings timings = BrokerTimings.defaults();
        private int dispatchThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private Clock clock = Clock.systemUTC();
        private CallerLoops callerLoops = CallerLoops.NONE;
        private FilterIndex.Factory indexes =
                ServiceLoader.load(FilterIndex.Factory.class).findFirst().orElse(FilterIndex::linear);

        private Builder() {}

        /**
         * How each broker finds the subscriptions an event matches; by default the first {@link
         * FilterIndex.Factory} on the class path, else one that asks every filter.
         */
        public Builder filterIndex(FilterIndex.Factory value) {
            this.indexes = Objects.requireNonNull(value, "filterIndex");
            return this;
        }

        /** Where the store lives; created if missing. Required. */
        public Builder dataDir(Path value) {
            this.dataDir = Objects.requireNonNull(value, "dataDir");
            return this;
        }

        /** The configuration of brokers opened with {@link Switchboard#broker(String)}. */
        public Builder defaultBrokerConfig(BrokerConfig value) {
            this.defaultConfig = Objects.requireNonNull(value, "defaultBrokerConfig");
            return this;
        }

        public Builder storeOptions(StoreOptions value) {
            this.storeOptions = Objects.requireNonNull(value, "storeOptions");
            return this;
        }

        public Builder timings(BrokerTimings value) {
            this.timings = Objects.requireNonNull(value, "timings");
            return this;
        }

        public Builder dispatchThreads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("dispatchThreads must be at least 1, was " + value);
            }
            this.dispatchThreads = value;
            return this;
        }

        /**
         * Event loops on which a subscription's pass may run when one of them signals it (see {@link
         * CallerLoops}); by default none, and every pass runs on the dispatch threads. In-process sinks
         * are then called on those loops too: give this only where sinks never block (HTTP delivery).
         */
        public Builder callerLoops(CallerLoops value) {
            this.callerLoops = Objects.requireNonNull(value, "callerLoops");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Opens the store in the data directory and returns the running instance. */
        public Switchboard build() {
            if (dataDir == null) {
                throw new IllegalStateException("dataDir is required");
            }
            return new Switchboard(this);
        }
    }
}
