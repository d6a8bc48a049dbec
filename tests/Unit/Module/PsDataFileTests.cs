using Xunit;

namespace EdgeLm.Tests.Module;

public class PsDataFileTests
{
    [Fact]
    public void ReadsHashtablesArraysStringsAndComments()
    {
        const string text = """
            # leading comment
            <# block
               comment #>
            @{
                RootModule = 'Edge.psm1'   # trailing comment
                'Quoted Key' = "double"
                Empty = @()
                Lines = @(
                    'a'
                    'b', 'c'
                )
                Bare = 'x', 'y'
                Escaped = 'it''s'; Flag = $true
                Nested = @{ Inner = @('z') }
            }
            """;

        Dictionary<string, object?> data = PsDataFile.Parse(text);

        Assert.Equal("Edge.psm1", data["rootmodule"]);
        Assert.Equal("double", data["Quoted Key"]);
        Assert.Empty(Assert.IsType<List<object?>>(data["Empty"]));
        Assert.Equal(new object?[] { "a", "b", "c" }, Assert.IsType<List<object?>>(data["Lines"]));
        Assert.Equal(new object?[] { "x", "y" }, Assert.IsType<List<object?>>(data["Bare"]));
        Assert.Equal("it's", data["Escaped"]);
        Assert.Equal(true, data["Flag"]);
        var nested = Assert.IsType<Dictionary<string, object?>>(data["Nested"]);
        Assert.Equal(new object?[] { "z" }, Assert.IsType<List<object?>>(nested["Inner"]));
    }

    [Theory]
    [InlineData("@{ A = 'x' ", "unterminated hashtable")]
    [InlineData("@{ A = 'x'; A = 'y' }", "duplicate key")]
    [InlineData("@{ A = \"$env:HOME\" }", "expanding string")]
    [InlineData("@{ A = Get-Date }", "command")]
    [InlineData("@{ A = 'x' 'y' }", "two values")]
    [InlineData("@{ A = @('x' 'y') }", "array items without separator")]
    [InlineData("@{ A = 1 }", "number (not used by the manifest)")]
    [InlineData("@{ A = 'x' } @{ }", "second hashtable")]
    [InlineData("'x'", "not a hashtable")]
    public void RejectsWhatItDoesNotUnderstand(string text, string why)
    {
        var e = Assert.Throws<FormatException>(() => PsDataFile.Parse(text));
        Assert.StartsWith("line ", e.Message);
        Assert.False(string.IsNullOrEmpty(why));
    }
}
