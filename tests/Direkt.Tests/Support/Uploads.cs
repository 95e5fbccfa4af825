using System.Net.Http.Headers;
using System.Text.Json;

namespace Direkt.Tests.Support;

public static class Uploads
{
    public static MultipartFormDataContent Form(byte[] asset, string? metadataJson = null, string fileName = "upload.bin",
        bool metadataFirst = false)
    {
        var form = new MultipartFormDataContent();
        var assetPart = new ByteArrayContent(asset);
        // Deliberately wrong: the type must be detected from the bytes, never trusted from the client.
        assetPart.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        StringContent? metadataPart = metadataJson is null ? null : new StringContent(metadataJson, System.Text.Encoding.UTF8, "application/json");
        if (metadataFirst && metadataPart is not null) form.Add(metadataPart, "metadata");
        form.Add(assetPart, "asset", fileName);
        if (!metadataFirst && metadataPart is not null) form.Add(metadataPart, "metadata");
        return form;
    }

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, byte[] asset, string? metadataJson = null) =>
        await client.PostAsync("/assets" + path, Form(asset, metadataJson));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
