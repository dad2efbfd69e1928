package io.conlimit.target.cli;

import io.conlimit.target.BacklogRequest;
import io.conlimit.target.Durations;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** picocli converters whose messages say what is accepted; a failure exits 2 with that message. */
final class Converters {
    private Converters() {
    }

    static final class Kind implements ITypeConverter<ServerKind> {
        @Override
        public ServerKind convert(String value) {
            try {
                return ServerKind.fromName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Backlog implements ITypeConverter<BacklogRequest> {
        @Override
        public BacklogRequest convert(String value) {
            try {
                return BacklogRequest.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Hold implements ITypeConverter<HoldSpec> {
        @Override
        public HoldSpec convert(String value) {
            try {
                return HoldSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (or exp:D, or forever)");
            }
        }
    }

    static final class Time implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
