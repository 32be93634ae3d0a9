package org.autosync.targets.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.autosync.targets.Upload;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Run by {@link S3ActorHeapTest} in a JVM with a small heap: args endpoint, access, secret, bucket, file. */
public final class UploadInSmallHeapMain {

    private UploadInSmallHeapMain() {
    }

    public static void main(String[] args) throws Exception {
        S3ClientSettings client = new S3ClientSettings(URI.create(args[0]), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(args[1], args[2])), 4);
        Path file = Path.of(args[4]);
        S3ActorSettings settings = S3ActorSettings.defaults().withMultipart(16 * S3ActorSettings.MIB,
                16 * S3ActorSettings.MIB);
        try (S3Actor actor = S3Actor.create(client, args[3], settings)) {
            actor.list("").close();
            String etag = actor.upload(new Upload("big", file, Files.size(file), 1_700_000_000_000L, null, Map.of()));
            System.out.println("ETAG " + etag);
        }
    }
}
