package io.streamrec.common.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comments and docs may only point at documents the repository carries: the design notes outside it are not there
 * for a reader of a clone. Every {@code docs/ARCHITECTURE.md, "Section"} citation must name a heading that exists.
 */
class ArchitectureCitationsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern CITATION = Pattern.compile("docs/ARCHITECTURE\\.md, \"([^\"]+)\"");

    @Test
    void noFileCitesTheDesignNotesOutsideTheRepository() {
        List<String> offenders = new ArrayList<>();
        for (Path f : sources()) {
            if (read(f).contains("DESIGN.md")) {
                offenders.add(ROOT.relativize(f).toString());
            }
        }
        assertThat(offenders).as("files citing DESIGN.md (cite docs/ARCHITECTURE.md)").isEmpty();
    }

    @Test
    void everyCitedSectionOfTheArchitectureNoteExists() {
        Path note = ROOT.resolve("docs/ARCHITECTURE.md");
        assertThat(note).exists();
        Set<String> headings = read(note).lines().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").trim()).collect(Collectors.toSet());
        List<String> cited = new ArrayList<>();
        for (Path f : sources()) {
            Matcher m = CITATION.matcher(read(f));
            while (m.find()) {
                cited.add(m.group(1));
            }
        }
        assertThat(cited).as("citations found").isNotEmpty();
        assertThat(cited).allSatisfy(section -> assertThat(headings).contains(section));
    }

    private static List<Path> sources() {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String rel = ROOT.relativize(p).toString();
                        return !rel.startsWith(".git") && !rel.contains("/target/") && !rel.startsWith("target/")
                                && !rel.startsWith(".streamrec") && !rel.startsWith("node_modules")
                                && !p.getFileName().toString().equals("ArchitectureCitationsTest.java")
                                && (rel.endsWith(".java") || rel.endsWith(".md") || rel.endsWith(".xml")
                                || rel.endsWith(".yaml") || rel.endsWith(".sh") || rel.endsWith(".properties"));
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return ""; // binary or unreadable: nothing to cite
        }
    }
}
