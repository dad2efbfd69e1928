package io.conlimit.target.servers;

import io.conlimit.target.HoldSpec;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One event-loop connection (a handler per channel): banner on accept, answers per line, closed by a
 * scheduled task when its hold elapses, so holding occupies no thread. {@code forever} holds until the
 * peer closes or the server stops.
 */
final class HeldConnection extends ChannelInboundHandlerAdapter {
    private final HoldSpec hold;
    private final Replies replies;
    private final ServerCounters counters;
    private final CountDownLatch stopped;
    private ScheduledFuture<?> release;
    private boolean active;
    private boolean completed;

    HeldConnection(HoldSpec hold, Replies replies, ServerCounters counters, CountDownLatch stopped) {
        this.hold = hold;
        this.replies = replies;
        this.counters = counters;
        this.stopped = stopped;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active = true;
        counters.accepted();
        counters.serviceStarted();
        if (replies.banner() != null) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(replies.banner()));
        }
        long nanos = hold.sampleNanos(new SplittableRandom(ThreadLocalRandom.current().nextLong()));
        if (nanos == Long.MAX_VALUE) {
            // forever: until the peer closes or the server stops
        } else if (nanos <= 0) {
            completed = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            release = ctx.executor().schedule(() -> {
                completed = true;
                ctx.close();
            }, nanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!replies.answersLines()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (replies.echo()) {
            ctx.write(msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.write(Unpooled.wrappedBuffer(replies.respond()));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (replies.answersLines()) {
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (release != null) {
            release.cancel(false);
        }
        if (active) {
            active = false;
            boolean foreverEndedByPeer = hold.mean() == null && stopped.getCount() > 0;
            counters.serviceEnded(completed || foreverEndedByPeer);
            counters.closed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            return; // the decoder discarded an over-long line: leave it unanswered
        }
        ctx.close(); // reset by peer and the like: the connection is over
    }
}
