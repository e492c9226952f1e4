package org.modreg.example.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

import org.modreg.api.annotations.Capability;
import org.modreg.example.processor.DataProcessor;
import org.osgi.service.component.annotations.Component;

/** Compresses data with gzip. */
@Component(property = "algorithm=gzip")
@Capability("compression")
public class GzipProcessor implements DataProcessor {

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public byte[] process(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
