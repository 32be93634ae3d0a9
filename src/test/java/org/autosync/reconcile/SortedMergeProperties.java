package org.autosync.reconcile;

import org.autosync.keys.S3KeyOrder;
import org.autosync.local.LocalFile;
import org.autosync.reconcile.UnsortedListingException.Side;
import org.autosync.targets.RemoteObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Merging, then applying its outcome to the remote (onlyLocal: put, onlyRemote: delete, both: overwrite),
 * must make the remote equal to the local side. Keys come from a tiny alphabet so that collisions, prefixes
 * and the UTF-16 versus code point difference (U+E000 against U+1F980) turn up often.
 */
class SortedMergeProperties {

    private static final String PRIVATE_USE = "\uE000";
    private static final String CRAB = "\uD83E\uDD80";

    @Provide
    Arbitrary<Set<String>> keySets() {
        return Arbitraries.of("/", "-", "0", "a", PRIVATE_USE, CRAB)
                .list().ofMinSize(1).ofMaxSize(3)
                .map(parts -> String.join("", parts))
                .set().ofMaxSize(20);
    }

    @Property(tries = 1000)
    void mirrorsLocalKeysAndReportsEachKeyOnce(@ForAll("keySets") Set<String> localKeys,
                                               @ForAll("keySets") Set<String> remoteKeys) {
        List<String> reported = new ArrayList<>();

        Map<String, RemoteObject> remote = mergeAndApply(localKeys, remoteObjects(remoteKeys, S3KeyOrder.INSTANCE).iterator(), reported);

        assertThat(remote.keySet()).containsExactlyInAnyOrderElementsOf(localKeys);
        assertThat(remote.values()).allMatch(object -> object.etag().equals("uploaded"));
        assertThat(reported).doesNotHaveDuplicates()
                .isSortedAccordingTo(S3KeyOrder.INSTANCE)
                .containsExactlyInAnyOrderElementsOf(union(localKeys, remoteKeys));
    }

    @Property(tries = 1000)
    void utf16OrderedRemoteIsMergedCorrectlyOrRejectedNeverWrong(@ForAll("keySets") Set<String> localKeys,
                                                               @ForAll("keySets") Set<String> remoteKeys) {
        List<RemoteObject> utf16Listing = remoteObjects(remoteKeys, Comparator.naturalOrder());
        boolean ordersDisagree = hasCrabAndPrivateUseAtTheSamePosition(remoteKeys);
        Statistics.label("UTF-16 and S3 order disagree").collect(ordersDisagree);

        try {
            Map<String, RemoteObject> remote = mergeAndApply(localKeys, utf16Listing.iterator(), new ArrayList<>());
            assertThat(remote.keySet()).containsExactlyInAnyOrderElementsOf(localKeys);
            assertThat(ordersDisagree).as("a misordered listing must not merge silently").isFalse();
        } catch (UnsortedListingException e) {
            assertThat(e.side()).isEqualTo(Side.REMOTE);
            assertThat(ordersDisagree).as("only a misordered listing is rejected").isTrue();
        }

        Iterator<RemoteObject> resorted = SortedMerge.sortedCopy(utf16Listing.iterator());
        assertThat(mergeAndApply(localKeys, resorted, new ArrayList<>()).keySet()).containsExactlyInAnyOrderElementsOf(localKeys);
    }

    @Example
    void utf16OrderedRemoteWithCrabAndPrivateUseIsRejected() {
        List<RemoteObject> utf16Listing = remoteObjects(Set.of("a" + CRAB, "a" + PRIVATE_USE + "0"), Comparator.naturalOrder());

        assertThatThrownBy(() -> mergeAndApply(Set.of(), utf16Listing.iterator(), new ArrayList<>()))
                .isInstanceOf(UnsortedListingException.class);
    }

    /**
     * Merges, then applies the outcome to a model of the remote. The outcome is applied only once the merge
     * returned, as a real caller must: an unsorted input is detected late, after some outcomes were reported.
     */
    private static Map<String, RemoteObject> mergeAndApply(Set<String> localKeys, Iterator<RemoteObject> listing,
                                                           List<String> reported) {
        List<RemoteObject> remoteCopy = new ArrayList<>();
        listing.forEachRemaining(remoteCopy::add);
        List<Runnable> actions = new ArrayList<>();
        Map<String, RemoteObject> remote = new TreeMap<>(S3KeyOrder.INSTANCE);
        remoteCopy.forEach(object -> remote.put(object.key(), object));

        SortedMerge.merge(localFiles(localKeys), remoteCopy.iterator(), new MergeListener() {
            @Override
            public void onlyLocal(LocalFile local) {
                reported.add(local.key());
                actions.add(() -> {
                    assertThat(remote).doesNotContainKey(local.key());
                    remote.put(local.key(), new RemoteObject(local.key(), local.size(), "uploaded"));
                });
            }

            @Override
            public void onlyRemote(RemoteObject object) {
                reported.add(object.key());
                actions.add(() -> assertThat(remote.remove(object.key())).isNotNull());
            }

            @Override
            public void both(LocalFile local, RemoteObject object) {
                reported.add(local.key());
                assertThat(object.key()).isEqualTo(local.key());
                actions.add(() -> assertThat(remote.put(local.key(),
                        new RemoteObject(local.key(), local.size(), "uploaded"))).isNotNull());
            }
        });
        actions.forEach(Runnable::run);
        return remote;
    }

    private static Iterator<LocalFile> localFiles(Set<String> keys) {
        return keys.stream().sorted(S3KeyOrder.INSTANCE)
                .map(key -> new LocalFile(Path.of("/src", key), key, key.length(), 0))
                .iterator();
    }

    private static List<RemoteObject> remoteObjects(Set<String> keys, Comparator<String> order) {
        return keys.stream().sorted(order).map(key -> new RemoteObject(key, 100, "old")).toList();
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Whether two keys first differ where one has U+1F980 and the other U+E000: there the orders disagree. */
    private static boolean hasCrabAndPrivateUseAtTheSamePosition(Set<String> keys) {
        for (String key : keys) {
            for (int i = key.indexOf(CRAB); i >= 0; i = key.indexOf(CRAB, i + 1)) {
                String divergent = key.substring(0, i) + PRIVATE_USE;
                if (keys.stream().anyMatch(other -> other.startsWith(divergent))) {
                    return true;
                }
            }
        }
        return false;
    }
}
