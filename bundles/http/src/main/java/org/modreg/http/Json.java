package org.modreg.http;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * The one JSON mapping of the plane: the API's records as they are (Jackson maps records by
 * their components), times as ISO-8601 strings, versions as strings, paths and URIs as strings,
 * a service reference as its service id. Thread-safe.
 */
public final class Json {

    /** The mapper; configured once, shared. */
    public static final ObjectMapper MAPPER = mapper();

    private Json() {
    }

    private static ObjectMapper mapper() {
        SimpleModule osgi = new SimpleModule("modreg-osgi");
        osgi.addSerializer(Version.class, ToStringSerializer.instance);
        osgi.addSerializer(java.nio.file.Path.class, new JsonSerializer<java.nio.file.Path>() {
            @Override
            public void serialize(java.nio.file.Path p, JsonGenerator g, SerializerProvider s) throws IOException {
                g.writeString(p.toString());
            }

            @Override
            public Class<java.nio.file.Path> handledType() {
                return java.nio.file.Path.class;
            }
        });
        @SuppressWarnings("rawtypes")
        JsonSerializer<ServiceReference> ref = new JsonSerializer<>() {
            @Override
            public void serialize(ServiceReference r, JsonGenerator g, SerializerProvider s) throws IOException {
                g.writeNumber((Long) r.getProperty(org.osgi.framework.Constants.SERVICE_ID));
            }
        };
        osgi.addSerializer(ServiceReference.class, ref);
        ObjectMapper m = new ObjectMapper();
        // the container's classes, not the thread's: Jackson looks some up by name
        m.setTypeFactory(m.getTypeFactory().withClassLoader(Json.class.getClassLoader()));
        m.registerModule(new JavaTimeModule());
        m.registerModule(osgi);
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        m.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return m;
    }

    /** Writes a value as JSON. */
    public static void write(OutputStream out, Object value) throws IOException {
        MAPPER.writeValue(out, value);
    }
}
