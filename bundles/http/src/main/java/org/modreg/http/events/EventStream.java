package org.modreg.http.events;

import static org.modreg.http.rest.Route.string;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.modreg.api.ModuleEvents;
import org.modreg.http.Json;
import org.modreg.http.Problems.HttpError;
import org.modreg.http.Role;
import org.modreg.http.rest.Exchange;
import org.modreg.http.rest.Routes;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * {@code GET /api/v1/events}: every {@code org/modreg/*} Event Admin event as Server-Sent Events,
 * filtered by topic and module. Each client has a bounded queue filled by Event Admin's thread
 * and emptied by the client's request thread, so that a slow client never holds up the events of
 * the others: one that falls 1,000 events behind is told so and disconnected. A comment every 15 s
 * keeps proxies from closing the stream, and finds clients that went away.
 */
@Component(service = { EventStream.class, EventHandler.class }, property = EventConstants.EVENT_TOPIC + "=org/modreg/*")
public final class EventStream implements EventHandler {

    static final int MAX_CLIENTS = 64;
    static final int QUEUE = 1000;
    private static final String END = "";

    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean closed;

    private record Client(List<String> topics, String module, BlockingQueue<String> queue) {
        boolean wants(String topic, Object moduleId) {
            if (module != null && !module.equals(moduleId)) {
                return false;
            }
            if (topics.isEmpty()) {
                return true;
            }
            for (String t : topics) {
                if (t.equals(topic) || t.endsWith("*") && topic.startsWith(t.substring(0, t.length() - 1))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Adds {@code GET /events} to the API. */
    public void routes(Routes r) {
        r.add("GET", "/events", Role.VIEWER,
                "Every org/modreg/* event as Server-Sent Events (text/event-stream): event is the topic, data the properties"
                        + " as JSON", null, this::stream,
                string("topic", "only these topics: exact, or a prefix ending in * (org/modreg/module/*); comma-separated"),
                string("module", "only events about this module id"));
    }

    @Override
    public void handleEvent(Event event) {
        if (clients.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("topic", event.getTopic());
        for (String name : event.getPropertyNames()) {
            if (!name.equals(EventConstants.EVENT_TOPIC)) {
                data.put(name, event.getProperty(name));
            }
        }
        String frame;
        try {
            frame = "id: " + sequence.incrementAndGet() + "\nevent: " + event.getTopic() + "\ndata: "
                    + Json.MAPPER.writeValueAsString(data) + "\n\n";
        } catch (IOException e) {
            return;
        }
        for (Client c : clients) {
            if (c.wants(event.getTopic(), event.getProperty(ModuleEvents.MODULE_ID)) && !c.queue().offer(frame)) {
                clients.remove(c);
                c.queue().clear();
                c.queue().offer(": this client fell " + QUEUE + " events behind and is disconnected\n\n");
                c.queue().offer(END);
            }
        }
    }

    private Object stream(Exchange x) throws IOException, InterruptedException {
        if (clients.size() >= MAX_CLIENTS) {
            throw new HttpError(503, "already " + MAX_CLIENTS + " event streams open");
        }
        Client c = new Client(x.queries("topic"), x.query("module"), new ArrayBlockingQueue<>(QUEUE + 2));
        var resp = x.response();
        resp.setStatus(200);
        resp.setContentType("text/event-stream;charset=utf-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Accel-Buffering", "no");
        OutputStream out = resp.getOutputStream();
        clients.add(c);
        try {
            out.write((": modreg events" + (c.topics().isEmpty() ? "" : " " + c.topics()) + "\nretry: 2000\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closed) {
                String frame = c.queue().poll(15, TimeUnit.SECONDS);
                if (frame == END) {
                    break;
                }
                out.write((frame == null ? ": keep-alive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException gone) {
            // the client closed the stream
        } finally {
            clients.remove(c);
        }
        return Exchange.WRITTEN;
    }

    @Deactivate
    void deactivate() {
        closed = true;
        for (Client c : clients) {
            c.queue().offer(END);
        }
    }
}
