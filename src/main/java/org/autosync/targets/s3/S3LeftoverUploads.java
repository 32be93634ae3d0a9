package org.autosync.targets.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.autosync.targets.MultipartJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Aborts the multipart uploads a {@link MultipartJournal} still holds that no upload of this process is
 * working on: those of a run that was killed, and those whose abort failed (endpoint down). It runs at the
 * start ({@link S3MultipartUpload#resume}) and again at each reconciliation pass ({@link S3Actor#list}), so a
 * process that runs for weeks leaves none behind either. An upload id is aborted directly; an intent (the
 * process died between writing it and learning the upload id) is resolved by listing the incomplete uploads
 * of that one key and aborting them. An empty journal costs no request.
 *
 * <p>It never aborts an upload this process has in flight: a key whose CreateMultipartUpload is under way here
 * is left for the next time, and so is an upload id registered as active. The key check comes after the
 * journal read or the listing, and an upload is registered as active before its key stops counting as being
 * created, so an upload created here before the read or listing is seen by one of the two checks.
 */
final class S3LeftoverUploads {

    private static final Logger LOG = LoggerFactory.getLogger(S3LeftoverUploads.class);

    /** What this process has in flight. */
    interface InFlight {
        /** A CreateMultipartUpload of {@code key} is under way here (until its upload is registered as active). */
        boolean creating(String key);

        /** The upload is running here (sending parts, completing or aborting itself). */
        boolean active(String uploadId);
    }

    private final S3Client client;
    private final String bucket;
    private final InFlight inFlight;
    private final AtomicBoolean running = new AtomicBoolean();

    S3LeftoverUploads(S3Client client, String bucket, InFlight inFlight) {
        this.client = client;
        this.bucket = bucket;
        this.inFlight = inFlight;
    }

    /**
     * Aborts every upload and resolves every intent of {@code journal} that is not in flight here, and forgets
     * each once aborted or gone (NoSuchUpload). Stops at the first failure (the endpoint is likely down), keeping
     * the rest for the next call; never throws. Does nothing while another call is at it.
     */
    void abortAll(MultipartJournal journal) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        int aborted = 0;
        Map<String, String> pending;
        Map<String, String> intents;
        try {
            pending = journal.pending();
            intents = journal.intents();
        } catch (RuntimeException e) {
            // a journal that cannot be read (its database is down) reports that itself; retried at the next pass
            LOG.debug("incomplete multipart uploads not looked at: the journal cannot be read: {}", e.getMessage());
            running.set(false);
            return;
        }
        try {
            for (Map.Entry<String, String> upload : pending.entrySet()) {
                String uploadId = upload.getKey();
                String key = upload.getValue();
                if (!inFlight.creating(key) && !inFlight.active(uploadId)) {
                    aborted += abort(journal, key, uploadId);
                }
            }
            for (Map.Entry<String, String> intent : intents.entrySet()) {
                aborted += resolve(journal, intent.getValue(), intent.getKey());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not abort the incomplete multipart uploads left behind (retried at the next pass): {}",
                    S3Failures.explain(e));
        } finally {
            running.set(false);
            if (aborted > 0) {
                LOG.info("aborted {} incomplete multipart upload(s) left behind by an earlier run or a failed abort",
                        aborted);
            }
        }
    }

    /** Aborts the incomplete uploads of {@code key} (exactly) that are not in flight here, then forgets the intent. */
    private int resolve(MultipartJournal journal, String key, String token) {
        List<String> found = new ArrayList<>();
        try {
            for (MultipartUpload upload : client.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(key))
                    .uploads()) {
                if (key.equals(upload.key())) {
                    found.add(upload.uploadId());
                }
            }
        } catch (NoSuchBucketException e) {
            // no bucket, no upload
        } catch (S3Exception e) {
            if (!S3Failures.isNoSuchBucket(e)) {
                throw e;
            }
        }
        if (inFlight.creating(key)) {
            return 0; // an upload of this key is being created here: it may be among those found
        }
        int aborted = 0;
        for (String uploadId : found) {
            if (!inFlight.active(uploadId)) {
                aborted += abort(journal, key, uploadId);
            }
        }
        journal.notCreated(key, token);
        return aborted;
    }

    /** 1 when aborted, 0 when already gone; either way forgotten. Throws when it cannot be aborted now. */
    private int abort(MultipartJournal journal, String key, String uploadId) {
        int aborted;
        try {
            client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            aborted = 1;
        } catch (NoSuchUploadException e) {
            aborted = 0;
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            aborted = 0;
        }
        LOG.debug("aborted the incomplete multipart upload {} of {}", uploadId, key);
        journal.ended(key, uploadId);
        return aborted;
    }
}
