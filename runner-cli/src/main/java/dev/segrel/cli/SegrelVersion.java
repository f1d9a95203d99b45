package dev.segrel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code segrel --version}: the Maven project version, filtered into a resource at build time. */
public final class SegrelVersion implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = SegrelVersion.class.getResourceAsStream("/dev/segrel/cli/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"segrel " + p.getProperty("version", "(unknown version)"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"};
    }
}
