using System.Text;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Seeded fuzzing of CsvLoader with random text over an alphabet of troublemakers (quotes, separators, line breaks,
/// exponents, group separators, NaN, control characters, invalid UTF-8), plain and gzipped. Only DataFileException
/// may come out, with a bounded message, and memory stays proportional to the input.
/// </summary>
public sealed class CsvFuzzTests
{
    private static readonly string[] Tokens =
    [
        "0", "1", "7", "42", "-3", "+5", "2.5", "1e3", "1e39", "1e-50", "1e400", "-0", "3.0", "3.00000001", "16777217",
        "2147483647", "2147483648", "99999999999999999999", ",", ",", ";", " ", "\t", "\n", "\n", "\r\n", "\r", "\"",
        "\"\"", "\"1\n2\"", "NaN", "Infinity", "-∞", "x", "1,000", "1.000,5", "é", "\0", "\u0001", "\uFEFF", "e", ".",
    ];

    [Fact]
    public void Csv_RandomText_GivesMatrixOrDataFileExceptionWithBoundedMessage()
    {
        var random = new Random(77);
        for (int i = 0; i < 2500; i++)
        {
            byte[] input = RandomCsv(random);
            if (random.Next(5) == 0)
            {
                input = TempFiles.Compress(input);
                if (input.Length > 2 && random.Next(2) == 0) // .NET writes nothing at all for empty input
                {
                    input = input[..random.Next(2, input.Length)];
                }
            }

            var format = new CsvFormat { Separator = random.Next(3) == 0 ? ';' : ',', HasHeader = random.Next(4) == 0 };
            string because = $"case {i}: {Encoding.UTF8.GetString(input[..Math.Min(input.Length, 80)])}";
            long bound = (4L << 20) + (64L * input.Length);
            FuzzSupport.Expect(() => CsvLoader.ReadMatrix<float>(new NonSeekableStream(input, chunk: random.Next(1, 300)), "fuzz.csv", format), because, bound);
            FuzzSupport.Expect(() => CsvLoader.ReadMatrix<double>(new MemoryStream(input), "fuzz.csv", format), because, bound);
            int? classes = random.Next(3) == 0 ? random.Next(1, 50) : null;
            FuzzSupport.Expect(() => CsvLoader.ReadClassification<float>(new MemoryStream(input), "fuzz.csv", format, labelColumn: -1, classes), because, bound);
        }
    }

    [Fact]
    public void Csv_ErrorPosition_PointsAtTheWrongCell()
    {
        // Random valid tables with blank lines and quoted line breaks; one cell is then made invalid.
        var random = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            int fields = random.Next(1, 5);
            int records = random.Next(1, 8);
            var text = new StringBuilder();
            int line = 1;
            (int Line, int Column) bad = (-1, -1);
            int badRecord = random.Next(records);
            for (int r = 0; r < records; r++)
            {
                while (random.Next(3) == 0)
                {
                    text.Append('\n');
                    line++;
                }

                int recordLine = line;
                int badColumn = r == badRecord ? random.Next(fields) : -1;
                for (int f = 0; f < fields; f++)
                {
                    text.Append(f > 0 ? "," : string.Empty);
                    if (f == badColumn)
                    {
                        text.Append("oops");
                        bad = (recordLine, f + 1);
                    }
                    else if (random.Next(4) == 0)
                    {
                        text.Append("\"\n").Append(random.Next(100)).Append("\n\""); // a quoted value with line breaks around it
                        line += 2;
                    }
                    else
                    {
                        text.Append(random.Next(100));
                    }
                }

                text.Append('\n');
                line++;
            }

            Action read = () => CsvLoader.ReadMatrix<double>(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), "t.csv", CsvFormat.Comma);

            read.Should().Throw<DataFileException>($"case {i}:\n{text}")
                .Where(e => e.Line == bad.Line && e.Column == bad.Column, $"case {i}: the bad cell is at line {bad.Line}, column {bad.Column}:\n{text}");
        }
    }

    private static byte[] RandomCsv(Random random)
    {
        var bytes = new List<byte>();
        int tokens = random.Next(0, 60);
        for (int t = 0; t < tokens; t++)
        {
            if (random.Next(40) == 0)
            {
                bytes.Add((byte)random.Next(0x80, 0x100)); // invalid UTF-8
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
            }
        }

        if (random.Next(50) == 0)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(new string('9', 100_000))); // a huge cell
        }

        return [.. bytes];
    }
}
