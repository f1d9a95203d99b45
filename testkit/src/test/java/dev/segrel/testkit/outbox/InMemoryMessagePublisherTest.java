package dev.segrel.testkit.outbox;

import dev.segrel.core.port.out.MessagePublisher;
import java.util.List;

class InMemoryMessagePublisherTest extends MessagePublisherContract {

    private InMemoryMessagePublisher publisher;

    @Override
    protected MessagePublisher newPublisher() {
        publisher = InMemoryMessagePublisher.completed();
        return publisher;
    }

    @Override
    protected List<Delivered> delivered() {
        return publisher.published().stream().map(m -> new Delivered(m.body(), m.messageId())).toList();
    }
}
