using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ArtifactPortal.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ShareLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ArtifactAliases_ArtifactVersions_VersionId",
                table: "ArtifactAliases");

            migrationBuilder.CreateTable(
                name: "ShareLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ArtifactVersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SecretHash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Note = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    AllowDownload = table.Column<bool>(type: "bit", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    UseCount = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ShareLinks_ArtifactVersions_ArtifactVersionId",
                        column: x => x.ArtifactVersionId,
                        principalTable: "ArtifactVersions",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_ShareLinks_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ShareLinks_ArtifactVersionId",
                table: "ShareLinks",
                column: "ArtifactVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ShareLinks_ProjectId",
                table: "ShareLinks",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_ShareLinks_SecretHash",
                table: "ShareLinks",
                column: "SecretHash",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_ArtifactAliases_ArtifactVersions_VersionId",
                table: "ArtifactAliases",
                column: "VersionId",
                principalTable: "ArtifactVersions",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ArtifactAliases_ArtifactVersions_VersionId",
                table: "ArtifactAliases");

            migrationBuilder.DropTable(
                name: "ShareLinks");

            migrationBuilder.AddForeignKey(
                name: "FK_ArtifactAliases_ArtifactVersions_VersionId",
                table: "ArtifactAliases",
                column: "VersionId",
                principalTable: "ArtifactVersions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
