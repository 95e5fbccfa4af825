using Direkt.Tests.Support;

namespace Direkt.Tests.Http;

public sealed class DataFolderTests
{
    [Fact]
    public async Task A_data_folder_the_process_cannot_write_stops_the_start_with_the_folder_the_uid_and_the_fix()
    {
        var parent = Directory.CreateTempSubdirectory("direkt-unwritable-").FullName;
        try
        {
            // Root writes anywhere, so as root the folder sits below a regular file (creating it fails); otherwise it is read-only.
            string data;
            if (Environment.UserName == "root")
            {
                File.WriteAllText(Path.Combine(parent, "file"), "");
                data = Path.Combine(parent, "file", "data");
            }
            else
            {
                data = Path.Combine(parent, "data");
                Directory.CreateDirectory(data);
                File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            var act = () => DirektTestServer.StartAsync(dataFolder: data);

            var message = (await act.Should().ThrowAsync<StartupException>()).Which.Message;
            message.Should().Contain($"cannot write to the data folder {data}").And.MatchRegex(@"Direkt runs as uid \d+")
                .And.Contain("chown -R 10001:10001");
            if (Environment.UserName != "root") message.Should().Contain("permission denied");
        }
        finally
        {
            foreach (var folder in Directory.GetDirectories(parent)) File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
            Directory.Delete(parent, recursive: true);
        }
    }
}
