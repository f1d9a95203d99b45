package dev.segrel.testkit.store;

import dev.segrel.core.port.out.RejectedMessages;
import java.util.List;

class InMemoryRejectedMessagesTest extends RejectedMessagesContract {

    private final InMemoryRejectedMessages rejected = new InMemoryRejectedMessages();

    @Override
    protected RejectedMessages rejected() {
        return rejected;
    }

    @Override
    protected List<Recorded> recordedFor(String messageId) {
        return rejected.all().stream()
                .filter(r -> r.messageId().equals(messageId))
                .map(r -> new Recorded(r.messageId(), r.body(), r.reason(), r.at()))
                .toList();
    }
}
